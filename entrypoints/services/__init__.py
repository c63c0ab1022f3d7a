"""Local services: the processes FlowGuard needs (PostgreSQL, Kafka, fakesnow, luigid)."""
