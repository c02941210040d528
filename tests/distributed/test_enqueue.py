"""``nianbao enqueue``: one crawl round per prefix, seeds pushed once, busy rounds protected."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from crawler.queue_keys import RedisKeys, seed_from_json
from crawler.seeds import load_seeds
from storage.cli import main

CSV = """agency,url,region,level,domains,render
青岛市崂山区人力资源和社会保障局,http://rsj.laoshan.gov.cn/,山东省青岛市崂山区,county,rsj.laoshan.gov.cn,
重庆市武隆区人力资源和社会保障局,http://rlsbj.cqwl.gov.cn/,重庆市武隆区,county,,
"""


@pytest.fixture
def keys(redis_url: str) -> Iterator[RedisKeys]:
    k = RedisKeys(f"nbtest{uuid.uuid4().hex[:10]}")
    yield k
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(match=k.pattern):
        server.delete(key)


def test_enqueue_pushes_each_seed_once(tmp_path: Path, redis_url: str, keys: RedisKeys,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(CSV, encoding="utf-8")
    assert main(["enqueue", str(seeds), "--redis", redis_url, "--key", keys.prefix]) == 0
    server = redis.Redis.from_url(redis_url)
    assert [a.decode() for a in server.lrange(keys.start, 0, -1)] == [
        "青岛市崂山区人力资源和社会保障局", "重庆市武隆区人力资源和社会保障局"]
    # the worker gets back exactly the Seed the CSV reader made
    assert [seed_from_json(server.hget(keys.seeds, s.agency) or b"{}") for s in load_seeds(seeds)[0]] == \
        load_seeds(seeds)[0]
    # --add on the same file adds nothing; a new round is refused while seeds still wait
    assert main(["enqueue", str(seeds), "--redis", redis_url, "--key", keys.prefix, "--add"]) == 0
    assert server.llen(keys.start) == 2
    capsys.readouterr()
    assert main(["enqueue", str(seeds), "--redis", redis_url, "--key", keys.prefix]) == 2
    assert "still running (2 seeds waiting)" in capsys.readouterr().err
    # --force starts a fresh round: the old fingerprints go too
    server.sadd(keys.dupefilter, "f" * 40)
    assert main(["enqueue", str(seeds), "--redis", redis_url, "--key", keys.prefix, "--force"]) == 0
    assert not server.exists(keys.dupefilter)
    assert server.llen(keys.start) == 2


def test_enqueue_bad_input_is_one_line(tmp_path: Path, redis_url: str, keys: RedisKeys,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("agency,url\n", encoding="utf-8")
    assert main(["enqueue", str(empty), "--redis", redis_url, "--key", keys.prefix]) == 2
    assert "no valid seeds" in capsys.readouterr().err
    good = tmp_path / "seeds.csv"
    good.write_text(CSV, encoding="utf-8")
    assert main(["enqueue", str(good), "--redis", "redis://127.0.0.1:1/0", "--key", keys.prefix]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nianbao enqueue: cannot reach Redis at redis://127.0.0.1:1/0") and err.count("\n") == 1
