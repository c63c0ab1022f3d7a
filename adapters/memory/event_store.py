"""The event store in process memory: eventsourcing's POPO recorders (unit tests, demos)."""


def memory_event_store_env() -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
