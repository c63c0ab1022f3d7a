"""Reading a process's Prometheus endpoint in the fault tests."""

import httpx
from prometheus_client.parser import text_string_to_metric_families


def scrape(port: int) -> dict[str, float]:
    """Every sample as "name{label=value,...}" -> value; {} while the endpoint is not up."""
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    except httpx.TransportError:
        return {}
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def total(samples: dict[str, float], name: str) -> float:
    """The sum of a metric over all its label sets (0 when absent)."""
    return sum(v for k, v in samples.items() if k == name or k.startswith(name + "{"))
