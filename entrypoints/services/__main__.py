"""`python -m entrypoints.services up|down|status`: the services commands alone.

`make test` uses this instead of the full `flowguard` CLI, so that a broken import in another
command group can never keep the services from being stopped."""

from entrypoints.commands.services import services_app

if __name__ == "__main__":
    services_app(prog_name="flowguard services")
