"""Every test sees the same network: pages built in-process (AppTest) find the LAN address 192.168.1.20
and no DESCENT_LAB_PUBLIC_URL, whatever machine runs them.  The tests of the look-up itself
(tests/lab/test_share_address.py) import the real ``lan_address`` before this replaces the module's."""

import pytest

from lab import share_address

TEST_LAN = "192.168.1.20"


@pytest.fixture(scope="session", autouse=True)
def steady_network():
    """Session-wide, so module-scoped page fixtures see it too; a test may patch over it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(share_address, "lan_address", lambda: TEST_LAN)
        patch.delenv(share_address.PUBLIC_URL_ENV, raising=False)
        yield
