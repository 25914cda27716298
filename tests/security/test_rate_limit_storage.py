"""The rate limits live where the settings say: Redis with REDIS_URL, memory otherwise; the admin page says which."""

from __future__ import annotations

import uuid

import pytest
from limits.storage import MemoryStorage, RedisStorage
from redis import Redis

from helpline.security import limiter

REDIS = "redis://127.0.0.1:6379/0"


def _settings_page(client, login_as) -> str:
    login_as("admin")
    client.post("/language/en")
    return client.get("/admin/settings").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_without_redis_the_limits_are_per_process_and_the_page_says_so(client, login_as, app_config):
    assert isinstance(limiter.storage, MemoryStorage)
    page = _settings_page(client, login_as)
    assert "memory of each process (not shared between processes)" in page


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "REDIS_URL": REDIS, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}]
)
def test_with_redis_url_the_limits_live_in_redis_and_the_page_says_so(client, login_as, app_config):
    if not RedisStorage(REDIS).check():
        pytest.fail("Redis is not answering on 127.0.0.1:6379")
    assert isinstance(limiter.storage, RedisStorage)
    page = _settings_page(client, login_as)
    assert "Redis, shared by every process" in page and "memory of each process" not in page
    redis = Redis.from_url(REDIS)
    keys = list(redis.scan_iter(f"*{app_config['RATELIMIT_KEY_PREFIX']}*"))
    assert keys  # the login counted under this app's prefix
    redis.delete(*keys)
