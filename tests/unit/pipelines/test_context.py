"""The tasks' shared context: worker threads starting Spark at once get one session."""

import gc
import threading
import time
from collections.abc import Iterator

from dependency_injector import providers

from entrypoints.bootstrap import Container
from pipelines.tasks import context


def test_worker_threads_asking_for_spark_at_once_start_a_single_session() -> None:
    started: list[object] = []
    stopped: list[object] = []

    def session() -> Iterator[object]:
        time.sleep(0.2)  # as slow to start as a JVM, relatively
        started.append(handle := object())
        yield handle
        stopped.append(handle)

    container = Container()
    container.spark.override(providers.Resource(session))
    context.use_container(container)
    barrier = threading.Barrier(4)
    seen: list[object] = []

    def ask() -> None:
        barrier.wait()
        seen.append(context.current().spark())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gc.collect()

    assert len(started) == 1
    assert stopped == []
    assert {id(handle) for handle in seen} == {id(started[0])}
    container.shutdown_resources()
    assert stopped == started
