"""The circuit breaker the cache and the outbox share: a pause after a failure, one probe
after the pause, one log line per outage."""

import logging
import time

from shop.breaker import CircuitBreaker


def test_after_a_failure_calls_pause_then_one_probe_finds_the_service_back(settings, caplog):
    settings.CIRCUIT_BREAKER_SECONDS = 0.3
    breaker = CircuitBreaker("test service")

    with caplog.at_level(logging.INFO, logger="shop.breaker"):
        assert breaker.allows()
        breaker.failed(TimeoutError("timed out"))
        paused = [breaker.allows() for _ in range(3)]
        breaker.failed(TimeoutError("timed out"))  # another caller already in flight
        time.sleep(0.4)
        probe, meanwhile = breaker.allows(), breaker.allows()
        breaker.succeeded()
        after = breaker.allows()

    assert paused == [False, False, False]
    assert (probe, meanwhile, after) == (True, False, True)
    assert not breaker.down
    assert [r.getMessage() for r in caplog.records] == [
        "test service is not answering (TimeoutError: timed out); "
        "not calling it for 0.3 s at a time until it answers",
        "test service answers again",
    ]
