"""What the fake instance has: its CRNs, its API keys, its plan and its backends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DEFAULT_API_KEY = "fake-key-ok"
"""The API key the fake accepts unless told otherwise. Not a secret, not realistic."""

DEFAULT_CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/fake-account:fake-instance::"
"""The instance the fake serves unless told otherwise (region us-east)."""

OTHER_REGION_CRN = "crn:v1:bluemix:public:quantum-computing:eu-de:a/fake-account:fake-instance::"
"""The same instance as if it lived in eu-de: the fake answers it "instance not found",
as the us-east API answers the CRN of an eu-de instance."""

BackendStatus = Literal["online", "paused", "offline"]


@dataclass(frozen=True)
class FakeBackend:
    """One backend. Calibration data is made up from these figures, deterministically.

    ``queue_length`` is a base that the fake adds its own queued jobs to; ``max_shots``
    is the most shots one circuit may ask for (jobs asking more are refused).
    """

    name: str
    num_qubits: int
    status: BackendStatus = "online"
    status_reason: str = ""
    simulator: bool = False
    family: str = "Heron"
    revision: str = "2"
    clops: int = 250_000
    queue_length: int = 0
    version: str = "1.0.0"
    two_q_error: float = 0.003
    readout_error: float = 0.012
    max_shots: int = 100_000

    def __post_init__(self) -> None:
        if self.num_qubits < 2:
            raise ValueError("a fake backend needs at least two qubits")
        if not self.name.replace("_", "").isalnum():
            raise ValueError("backend names are letters, digits and underscores")


DEFAULT_BACKENDS: tuple[FakeBackend, ...] = (
    FakeBackend("fake_heron", 133, family="Heron", revision="1", clops=223_000, queue_length=2),
    FakeBackend("fake_eagle", 127, family="Eagle", revision="3", clops=30_000, two_q_error=0.008),
    FakeBackend(
        "fake_falcon",
        27,
        status="paused",
        status_reason="Calibration in progress",
        family="Falcon",
        revision="5",
        clops=2_900,
        queue_length=7,
        two_q_error=0.011,
    ),
)


@dataclass(frozen=True)
class Plan:
    """The instance's service plan and usage figures, in seconds.

    ``limit_seconds`` None means no usage limit; ``consumed_seconds`` is usage from before
    the fake started, to which completed jobs add.
    """

    plan_id: str = "fake-open-plan"
    limit_seconds: float | None = 600.0
    allocation_seconds: float | None = None
    consumed_seconds: float = 0.0
