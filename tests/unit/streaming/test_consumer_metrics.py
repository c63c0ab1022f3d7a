"""Consumer lag per partition and per member: a partition a rebalance took away leaves the
member's series, so no member reports stale lag for a partition it no longer owns."""

from prometheus_client import generate_latest

from entrypoints.consumer import ConsumerMetrics


def _exposition(metrics: ConsumerMetrics) -> str:
    return generate_latest(metrics.registry).decode()


def test_lag_is_labelled_by_partition_and_member() -> None:
    metrics = ConsumerMetrics(member="host-1")
    metrics.update_lag({("orders", 0): 5, ("orders", 3): 7})
    text = _exposition(metrics)
    assert 'flowguard_consumer_lag{member="host-1",partition="3",topic="orders"} 7.0' in text
    assert 'flowguard_consumer_member_lag{member="host-1"} 12.0' in text
    assert 'flowguard_consumer_partitions{member="host-1"} 2.0' in text


def test_a_partition_moved_to_another_member_leaves_this_members_series() -> None:
    metrics = ConsumerMetrics(member="host-1")
    metrics.update_lag({("orders", 0): 5, ("orders", 3): 7})
    metrics.update_lag({("orders", 3): 1})
    text = _exposition(metrics)
    assert 'partition="0"' not in text
    assert 'flowguard_consumer_member_lag{member="host-1"} 1.0' in text
