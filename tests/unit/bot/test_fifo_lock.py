"""The FIFO conversation lock against a real Redis: exclusion, order, hand-over without polling, expiry."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from bot.fifo_lock import FifoLock, LockUnavailable


async def test_one_holder_at_a_time_and_served_in_arrival_order(client: aioredis.Redis) -> None:
    lock = FifoLock(client, lifetime=10)
    order: list[int] = []
    inside = released = 0

    async def turn(i: int) -> None:
        nonlocal inside, released
        async with lock.hold("conv"):
            inside += 1
            assert inside == 1
            order.append(i)
            await asyncio.sleep(0.01)
            inside -= 1
        released += 1

    async def tickets_taken() -> int:
        return int(await client.llen(lock.queue_key("conv"))) + released

    tasks = []
    for i in range(8):
        tasks.append(asyncio.create_task(turn(i)))
        # Each task has queued its ticket before the next one starts (whatever the machine's load).
        for _ in range(1000):
            if await tickets_taken() >= i + 1:
                break
            await asyncio.sleep(0.001)
    await asyncio.gather(*tasks)
    assert order == list(range(8))
    assert await client.keys("pimmslock:*") == []


async def test_separate_locks_share_nothing_across_clients(redis_url: str) -> None:
    # Two clients stand for two processes: the lock lives in Redis only.
    first, second = aioredis.Redis.from_url(redis_url), aioredis.Redis.from_url(redis_url)
    try:
        a, b = FifoLock(first, lifetime=10), FifoLock(second, lifetime=10)
        ticket = await a.acquire("conv")
        waiter = asyncio.create_task(b.acquire("conv"))
        await asyncio.sleep(0.2)
        assert not waiter.done()
        other = await b.acquire("another")  # another conversation is not blocked
        await b.release("another", other)
        await a.release("conv", ticket)
        await asyncio.wait_for(waiter, 1)  # woken by the hand-over, not by a timer
        await b.release("conv", waiter.result())
    finally:
        await first.close(close_connection_pool=True)
        await second.close(close_connection_pool=True)


async def test_hand_over_is_immediate(client: aioredis.Redis) -> None:
    lock = FifoLock(client, lifetime=30)
    ticket = await lock.acquire("conv")
    waiter = asyncio.create_task(lock.acquire("conv"))
    await asyncio.sleep(0.05)
    loop = asyncio.get_running_loop()
    released = loop.time()
    await lock.release("conv", ticket)
    await waiter
    assert loop.time() - released < 0.9  # Rasa's own lock store sleeps 1 s between tries


async def test_a_dead_holder_blocks_only_until_its_lifetime(client: aioredis.Redis) -> None:
    lock = FifoLock(client, lifetime=0.3)
    await lock.acquire("conv")  # never released: the holder "died"
    loop = asyncio.get_running_loop()
    start = loop.time()
    ticket = await asyncio.wait_for(lock.acquire("conv"), 2)
    assert 0.2 <= loop.time() - start < 2.0
    await lock.release("conv", ticket)


async def test_a_cancelled_waiter_leaves_the_queue(client: aioredis.Redis) -> None:
    lock = FifoLock(client, lifetime=10)
    ticket = await lock.acquire("conv")
    cancelled = asyncio.create_task(lock.acquire("conv"))
    await asyncio.sleep(0.05)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    third = asyncio.create_task(lock.acquire("conv"))
    await asyncio.sleep(0.05)
    await lock.release("conv", ticket)
    await lock.release("conv", await asyncio.wait_for(third, 1))
    assert await client.llen(lock.queue_key("conv")) == 0


async def test_redis_down_is_a_clear_error() -> None:
    client = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    with pytest.raises(LockUnavailable):
        await FifoLock(client).acquire("conv")
    await client.close(close_connection_pool=True)
