"""Posting digests to channels exactly once, isolated per channel, within Discord's rate limits.

The job body for every subscription is `DigestService.run_subscription`:
1. recover claims left unfinished by a crash (look for the message by nonce, post only if absent);
2. find the meetings due (ingested after the cursor, not yet posted, filters applied);
3. claim each (subscription, meeting) in the database and commit, before posting;
4. post with a deterministic nonce and enforce_nonce, so Discord drops a repeat of the same post;
5. record the message id, then move the cursor.
A crash between 3 and 5 leaves a claim; step 1 of the next run resolves it without a second post.

A fan-out to many channels (`fan_out`) does the same in batches: one read for every
subscription's due meetings, one render per distinct digest, claims committed CLAIM_BATCH at a
time before those posts go to a fixed pool of workers, and message ids recorded in batches.

A channel that answers 403 or 404 pauses its subscription (with the reason) and its guild's admins
are told once; every other channel carries on. Discord's 429s and per-route buckets are honoured
by discord.py's HTTP client; the bot's `GlobalPacer` (bot/pacing.py) keeps every REST request of
the process under the global 50 requests/s, so a large fan-out does not run into them at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import discord
from discord.http import handle_message_parameters
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.render_digest import digest_embeds, mark_message
from bot.settings import Settings
from digests.digest import build_digest
from digests.errors import NotFound
from digests.schedule import parse_schedule
from digests.views import DigestView, MeetingView, SubscriptionView
from storage import subscriptions as subs

log = logging.getLogger(__name__)

# Workers posting at once in a fan-out. Each channel is its own rate-limit bucket, so it is
# concurrency that fills the global one: the pacer lets 50 go at once and frees a slot a second
# after each answer. 64 keeps it full with room for a few slow channels.
FANOUT_WORKERS = 64
# Claims committed per transaction ahead of the workers (about a second of posting at 50/s);
# at most this many plus the queue and the workers' posts are left to recover after a crash.
CLAIM_BATCH = 50
# Message ids are recorded once this many posts are waiting, or this long after the first.
RECORD_BATCH = 50
RECORD_DELAY_SECONDS = 0.25
# A channel that has not answered in this long is given up on for this run (its claim is kept
# and recovered next time) so it cannot hold a fan-out worker forever.
CHANNEL_TIMEOUT_SECONDS = 120.0
RECENT_MESSAGES_SCANNED = 50
NONCE_LENGTH = 25  # Discord's limit for a message nonce


def digest_nonce(subscription_id: int, meeting_ids: Iterable[int]) -> str:
    """The deterministic base nonce of one digest: the same subscription and meetings, the same nonce."""
    key = f"{subscription_id}:{','.join(str(m) for m in sorted(meeting_ids))}"
    return "nd" + hashlib.sha256(key.encode()).hexdigest()[:19]


def part_nonce(base: str, part: int) -> str:
    """The nonce of message `part` of a digest (a long digest is several messages)."""
    nonce = f"{base}p{part}"
    assert len(nonce) <= NONCE_LENGTH
    return nonce


class Poster(Protocol):
    """What the service needs from Discord; `DiscordPoster` is the real one."""

    async def send(self, channel_id: int, embeds: Sequence[discord.Embed], nonce: str) -> int: ...

    async def find_by_nonce(self, channel_id: int, nonces: Sequence[str]) -> dict[str, int]: ...

    async def notify_admins(self, guild_id: int, text: str, *, avoid_channel_id: int | None = None) -> bool: ...


class DiscordPoster:
    """Posts through discord.py's HTTP client (which honours 429 retry_after and bucket headers)."""

    def __init__(self, bot: discord.Client) -> None:
        self.bot = bot

    async def send(self, channel_id: int, embeds: Sequence[discord.Embed], nonce: str) -> int:
        """Post one message with `nonce` and enforce_nonce; returns its id (the original one on a repeat)."""
        with handle_message_parameters(
            embeds=list(embeds), nonce=nonce, allowed_mentions=discord.AllowedMentions.none()
        ) as params:
            data = await self.bot.http.send_message(channel_id, params=params)
        return int(data["id"])

    async def find_by_nonce(self, channel_id: int, nonces: Sequence[str]) -> dict[str, int]:
        """Messages among the channel's recent ones that carry one of `nonces` (as nonce or footer marker)."""
        messages: list[Any] = list(await self.bot.http.logs_from(channel_id, RECENT_MESSAGES_SCANNED))
        me = self.bot.user.id if self.bot.user else None
        found: dict[str, int] = {}
        for message in messages:
            author = message.get("author") or {}
            if me is not None and author.get("id") and int(author["id"]) != me:
                continue
            footers = " ".join(str((e.get("footer") or {}).get("text", "")) for e in message.get("embeds") or [])
            for nonce in nonces:
                if str(message.get("nonce")) == nonce or f"ref {nonce}" in footers:
                    found.setdefault(nonce, int(message["id"]))
        return found

    async def notify_admins(self, guild_id: int, text: str, *, avoid_channel_id: int | None = None) -> bool:
        """Tell a guild's admins: its system channel if the bot may post there, else a DM to the owner."""
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return False
        channel = guild.system_channel
        try:
            if (
                channel is not None
                and channel.id != avoid_channel_id
                and channel.permissions_for(guild.me).send_messages
            ):
                await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
                return True
            owner = guild.owner or await self.bot.fetch_user(guild.owner_id) if guild.owner_id else None
            if owner is None:
                return False
            await owner.send(text)
            return True
        except discord.HTTPException as exc:
            log.warning("could not tell the admins of guild %s: %s", guild_id, exc.status)
            return False


@dataclass(frozen=True)
class _Render:
    """One digest as posted: the view, and its messages of embeds (none when no meeting passes the filters)."""

    view: DigestView
    messages: list[list[discord.Embed]]

    @property
    def meeting_ids(self) -> list[int]:
        return [m.meeting_id for m in self.view.meetings]


@dataclass
class _RunCache:
    """Shared by the runs of one fan-out: 1,000 channels load each meeting once and render each
    distinct digest (same heading, filters and meetings) once; each channel only adds its marker."""

    meetings: dict[int, MeetingView] = field(default_factory=dict)
    renders: dict[tuple[object, ...], _Render] = field(default_factory=dict)


@dataclass
class _Delivery:
    """A fan-out post: the subscription's lock is held from its claim until its record (or failure)."""

    sub: SubscriptionView
    render: _Render
    nonce: str
    advance_to: datetime
    claims: list[subs.Claim] = field(default_factory=list)


class _Recorder:
    """Records posts in batches: one transaction for up to `batch` posts or `delay` seconds of them.

    `record` returns once its posts are committed (or raises what the commit raised). A post that
    went out but was not recorded keeps its claim, which the next run resolves by its nonce.
    """

    def __init__(
        self,
        write: Callable[[list[subs.Posted]], Awaitable[None]],
        *,
        batch: int = RECORD_BATCH,
        delay: float = RECORD_DELAY_SECONDS,
    ) -> None:
        self._write = write
        self._batch = batch
        self._delay = delay
        self._waiting: list[tuple[list[subs.Posted], asyncio.Future[None]]] = []
        self._count = 0
        self._active = 0  # posts between claim and record (or failure)
        self._arrived = asyncio.Event()
        self._full = asyncio.Event()
        self._closing = False
        self.transactions = 0

    @contextlib.contextmanager
    def posting(self) -> Iterator[None]:
        """Around one post: when every post under way is waiting for its record, the batch is written
        at once rather than after `delay` (the end of a fan-out, or a slow trickle)."""
        self._active += 1
        try:
            yield
        finally:
            self._active -= 1
            self._check()

    async def record(self, posted: list[subs.Posted]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((posted, future))
        self._count += len(posted)
        self._arrived.set()
        self._check()
        await future

    def _check(self) -> None:
        if self._count >= self._batch or (self._waiting and len(self._waiting) >= self._active):
            self._full.set()

    async def run(self) -> None:
        """Write batches until closed and drained."""
        while True:
            await self._arrived.wait()
            if not self._closing:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._delay):
                        await self._full.wait()
            batch, self._waiting, self._count = self._waiting, [], 0
            self._arrived.clear()
            self._full.clear()
            if batch:
                await self._commit(batch)
            if self._closing and not self._waiting:
                return

    async def _commit(self, batch: list[tuple[list[subs.Posted], asyncio.Future[None]]]) -> None:
        try:
            await self._write([p for posted, _ in batch for p in posted])
        except Exception as exc:
            log.exception("recording %d post(s) failed; their claims are resolved by nonce next run", len(batch))
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
        else:
            self.transactions += 1
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    def close(self) -> None:
        """No more posts will come: write what is waiting, then `run` returns."""
        self._closing = True
        self._arrived.set()
        self._full.set()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DigestService:
    """Builds, posts and records digests for subscriptions; one instance per bot process."""

    def __init__(
        self,
        bot: discord.Client | None,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        now: Callable[[], datetime] = _utcnow,
        poster: Poster | None = None,
        workers: int = FANOUT_WORKERS,
        load_meeting: Callable[[AsyncSession, int], Awaitable[MeetingView]] | None = None,
    ) -> None:
        if poster is None:
            if bot is None:
                raise ValueError("DigestService needs a bot or a poster")
            poster = DiscordPoster(bot)
        self.bot = bot
        self.sessions = sessions
        self.settings = settings
        self.now = now
        self.poster = poster
        self.load_meeting = load_meeting or subs.load_meeting
        self.workers = workers
        # SQLite has one writer at a time and answers "database is locked" when a deferred
        # transaction cannot upgrade; with dozens of channels posting at once, queue our writes.
        bind = getattr(sessions, "kw", {}).get("bind")
        self._sqlite = getattr(getattr(bind, "dialect", None), "name", "") == "sqlite"
        self._write_lock = asyncio.Lock()
        self._locks: dict[int, asyncio.Lock] = {}
        # Meeting id -> when this process last fanned it out to `on-new` subscriptions (wall clock,
        # like report ingestion times): reports stored before that were announced already.
        self._announced: dict[int, datetime] = {}

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncSession]:
        """A write transaction (queued behind our other writes on SQLite)."""
        if self._sqlite:
            async with self._write_lock, self.sessions.begin() as session:
                yield session
        else:
            async with self.sessions.begin() as session:
                yield session

    def _lock(self, subscription_id: int) -> asyncio.Lock:
        """The lock one subscription's posting runs under in this process (claim to record)."""
        return self._locks.setdefault(subscription_id, asyncio.Lock())

    # -- which guilds this process serves ---------------------------------------------------------

    def serves(self, guild_id: int) -> bool:
        """True if the guild is on this process's shards (it is in the bot's guild cache)."""
        if self.bot is None:
            return True
        return self.bot.get_guild(guild_id) is not None

    # -- answers for commands -----------------------------------------------------------------------

    async def preview(self, session: AsyncSession, subscription_id: int) -> DigestView:
        """What the subscription would post now; if nothing is due, its latest matching meeting."""
        sub = await subs.get_subscription(session, subscription_id)
        due = await subs.due_meeting_rows(session, subscription_id)
        ids = [d.meeting_id for d in due]
        if not ids:
            everything = await subs.meetings_ingested_since(session, datetime(1970, 1, 1, tzinfo=UTC))
            latest = sorted(everything, key=lambda row: (row[1], row[0]))[-1:]
            ids = [int(row[0]) for row in latest]
        meetings = [await self.load_meeting(session, mid) for mid in ids]
        return build_digest(
            meetings,
            heading=f"Preview of digest #{sub.id} ({parse_schedule(sub.schedule, sub.timezone).describe()})",
            topic=sub.topic,
            person=sub.person,
            keyword=sub.keyword,
            meeting_ids=ids,
        )

    async def post_now(self, subscription_id: int) -> int:
        """Post what is due for this subscription now; returns how many meetings were posted."""
        return await self.run_subscription(subscription_id)

    # -- the job body -------------------------------------------------------------------------------

    async def run_subscription(self, subscription_id: int, *, cache: _RunCache | None = None) -> int:
        """Recover unfinished posts, then post every due meeting once; returns meetings posted."""
        cache = cache or _RunCache()
        async with self._lock(subscription_id):
            # One read transaction for everything the run needs to decide.
            try:
                async with self.sessions.begin() as session:
                    sub = await subs.get_subscription(session, subscription_id)
                    if sub.state != subs.ACTIVE or not self.serves(sub.guild_id):
                        return 0
                    pending = await subs.pending_claims(session, sub.id)
                    due = await subs.due_meeting_rows(session, sub.id)
            except NotFound:
                log.info("subscription %s is gone; nothing to post", subscription_id)
                return 0
            posted = await self._recover(sub, pending, cache)
            if posted < 0:
                return 0
            unfinished = {c.meeting_id for c in pending}
            fresh = [d for d in due if d.meeting_id not in unfinished]
            return posted + await self._post_due(sub, fresh, cache)

    async def _recover(self, sub: SubscriptionView, pending: list[subs.Claim], cache: _RunCache) -> int:
        """Finish claims a crash (or a refusal since resumed) left behind; -1 if the channel refused."""
        if not pending:
            return 0
        groups: dict[str, list[subs.Claim]] = {}
        for claim in pending:
            groups.setdefault(claim.nonce, []).append(claim)
        total = 0
        for nonce, claims in groups.items():
            log.info("subscription %s: recovering %d unfinished post(s) %s", sub.id, len(claims), nonce)
            render = await self._render(sub, [c.meeting_id for c in claims], cache)
            done = await self._deliver(sub, render.messages, claims, nonce, recovering=True)
            if done < 0:
                return -1
            total += done
        return total

    async def _post_due(self, sub: SubscriptionView, due: list[subs.DueMeeting], cache: _RunCache) -> int:
        if not due:
            return 0
        render = await self._render(sub, [d.meeting_id for d in due], cache)
        wanted = render.meeting_ids
        newest = max(d.ingested_at for d in due)
        if not wanted:
            # Nothing passes the filters: the cursor moves on so these are not looked at again.
            async with self._writing() as session:
                await subs.advance_cursor(session, sub.id, newest)
            return 0
        nonce = digest_nonce(sub.id, wanted)
        async with self._writing() as session:
            claims = [await subs.claim_post(session, sub.id, mid, nonce=nonce, now=self.now()) for mid in wanted]
        mine = [c for c in claims if c is not None and c.nonce == nonce]
        messages = render.messages
        if len(mine) != len(wanted):
            # Another run claimed some of these in between (it cannot under our lock; a second
            # process serving the same guild could): post only what we hold.
            held = {c.meeting_id for c in mine}
            view = render.view
            view = DigestView(view.heading, tuple(m for m in view.meetings if m.meeting_id in held), view.filters)
            messages = digest_embeds(view) if view.meetings else []
        if not mine:
            return 0
        recovering = any(c.recovered for c in mine)
        done = await self._deliver(sub, messages, mine, nonce, recovering=recovering, advance_to=newest)
        return max(done, 0)

    async def _render(self, sub: SubscriptionView, meeting_ids: list[int], cache: _RunCache) -> _Render:
        """The subscription's digest of these meetings, built and cut into messages once per fan-out."""
        heading = "New NEC meeting report" if sub.schedule == "on-new" else "NEC digest: newly reported meetings"
        key = (heading, sub.topic, sub.person, sub.keyword, tuple(meeting_ids))
        render = cache.renders.get(key)
        if render is not None:
            return render
        missing = [mid for mid in meeting_ids if mid not in cache.meetings]
        if missing:
            async with self.sessions.begin() as session:
                for mid in missing:
                    cache.meetings[mid] = await self.load_meeting(session, mid)
        view = build_digest(
            [cache.meetings[mid] for mid in meeting_ids],
            heading=heading,
            topic=sub.topic,
            person=sub.person,
            keyword=sub.keyword,
            meeting_ids=meeting_ids,
        )
        render = cache.renders[key] = _Render(view, digest_embeds(view) if view.meetings else [])
        return render

    async def _deliver(
        self,
        sub: SubscriptionView,
        messages: list[list[discord.Embed]],
        claims: list[subs.Claim],
        nonce: str,
        *,
        recovering: bool,
        advance_to: datetime | None = None,
        recorder: _Recorder | None = None,
    ) -> int:
        """Post the digest's messages (skipping any already in the channel) and record them.

        Returns the number of meetings recorded as posted, 0 on a transient failure (the claims
        stay for the next run) and -1 when the channel refused (the subscription is paused).
        With a recorder, the record is batched with other channels' (a fan-out).
        """
        if not messages:
            # The meetings no longer pass the filters (or were deleted): release the claims.
            async with self._writing() as session:
                await subs.record_posted(session, [subs.Posted(c.post_id, 0, sub.id) for c in claims], now=self.now())
            return 0
        nonces = [part_nonce(nonce, i) for i in range(len(messages))]
        try:
            existing = await self.poster.find_by_nonce(sub.channel_id, nonces) if recovering else {}
            first_id: int | None = None
            for embeds, part in zip(messages, nonces, strict=True):
                message_id = existing.get(part)
                if message_id is None:
                    message_id = await self.poster.send(sub.channel_id, mark_message(embeds, part), part)
                first_id = first_id or message_id
        except (discord.Forbidden, discord.NotFound) as exc:
            await self._pause(sub, exc, claims)
            return -1
        except (discord.HTTPException, discord.RateLimited) as exc:
            status = exc.status if isinstance(exc, discord.HTTPException) else 429
            log.warning("subscription %s: post to channel %s failed (%s); will retry", sub.id, sub.channel_id, status)
            return 0
        posted = [subs.Posted(c.post_id, first_id or 0, sub.id, advance_to) for c in claims]
        if recorder is not None:
            await recorder.record(posted)
        else:
            async with self._writing() as session:
                await subs.record_posted(session, posted, now=self.now())
        log.info("subscription %s: posted %d meeting(s) to channel %s", sub.id, len(claims), sub.channel_id)
        return len(claims)

    async def _pause(self, sub: SubscriptionView, exc: discord.HTTPException, claims: list[subs.Claim]) -> None:
        if isinstance(exc, discord.NotFound):
            reason = "the channel no longer exists (Discord answered 404)"
        else:
            reason = "the bot may not post in the channel (Discord answered 403: missing access or permissions)"
        async with self._writing() as session:
            changed = await subs.pause_subscription(session, subscription_id=sub.id, reason=reason)
            await subs.mark_failed(session, [c.post_id for c in claims])
        if changed:
            text = (
                f"NEC Digest paused digest #{sub.id} for <#{sub.channel_id}>: {reason}. "
                f"Fix the channel and use `/digest resume {sub.id}`, or remove it with `/digest unsubscribe {sub.id}`."
            )
            told = await self.poster.notify_admins(sub.guild_id, text, avoid_channel_id=sub.channel_id)
            log.warning("subscription %s paused (%s); admins told: %s", sub.id, reason, told)

    # -- fan-out ------------------------------------------------------------------------------------

    async def fan_out(self, subscription_ids: Sequence[int]) -> int:
        """Post what is due to many subscriptions; one slow or broken channel never holds up the others."""
        async with self.sessions.begin() as session:
            work = await subs.due_work(session, subscription_ids=subscription_ids)
        return await self._fan_out(work)

    async def _fan_out(self, work: list[subs.DueWork]) -> int:
        """Plan in memory, claim CLAIM_BATCH posts per transaction just ahead of a fixed pool of
        workers, record message ids in batches. Returns the meetings posted."""
        cache = _RunCache()
        reruns: list[int] = []  # unfinished claims: recovered by run_subscription, one channel at a time
        planned: list[_Delivery] = []
        nothing_passes: dict[datetime, list[int]] = {}
        for item in work:
            sub = item.subscription
            if not self.serves(sub.guild_id):
                continue
            if item.pending:
                reruns.append(sub.id)
                continue
            if not item.due:
                continue
            render = await self._render(sub, [d.meeting_id for d in item.due], cache)
            newest = max(d.ingested_at for d in item.due)
            if render.meeting_ids:
                planned.append(_Delivery(sub, render, digest_nonce(sub.id, render.meeting_ids), newest))
            else:  # nothing passes the filters: the cursor moves on so these are not looked at again
                nothing_passes.setdefault(newest, []).append(sub.id)
        if nothing_passes:
            async with self._writing() as session:
                for newest, ids in nothing_passes.items():
                    await subs.advance_cursors(session, ids, newest)
        if not planned and not reruns:
            return 0
        log.info("fan-out: posting to %d channel(s), recovering %d", len(planned), len(reruns))
        jobs: asyncio.Queue[_Delivery | int | None] = asyncio.Queue(maxsize=CLAIM_BATCH)
        recorder = _Recorder(self._record)
        posted: list[int] = []

        async def work_off() -> None:
            while (job := await jobs.get()) is not None:
                posted.append(await self._run_job(job, cache, recorder))

        try:
            async with asyncio.TaskGroup() as group:
                recording = group.create_task(recorder.run(), name="fan-out recorder")
                workers = [
                    group.create_task(work_off(), name=f"fan-out worker {n}")
                    for n in range(min(self.workers, len(planned) + len(reruns)))
                ]
                for subscription_id in reruns:
                    await jobs.put(subscription_id)
                for start in range(0, len(planned), CLAIM_BATCH):
                    for job in await self._claim(planned[start : start + CLAIM_BATCH]):
                        await jobs.put(job)
                for _ in workers:
                    await jobs.put(None)
                await asyncio.wait(workers)
                recorder.close()
                await recording
        finally:
            # Cancelled (shutdown): posts claimed but not started keep their claims for the next run.
            while not jobs.empty():
                left = jobs.get_nowait()
                if isinstance(left, _Delivery):
                    self._lock(left.sub.id).release()
        return sum(posted)

    async def _claim(self, batch: list[_Delivery]) -> list[_Delivery | int]:
        """Claim a batch of posts in one transaction, committed before any of them is posted.

        Returns the deliveries now held, and the ids of subscriptions to leave to run_subscription:
        one already running in this process, or one whose claim someone else made first.
        """
        ready: list[_Delivery] = []
        later: list[_Delivery | int] = []
        for delivery in batch:
            lock = self._lock(delivery.sub.id)
            if lock.locked():
                later.append(delivery.sub.id)
            else:
                await lock.acquire()  # free, so this does not wait
                ready.append(delivery)
        wanted = [(d.sub.id, mid, d.nonce) for d in ready for mid in d.render.meeting_ids]
        try:
            async with self._writing() as session:
                made = await subs.claim_posts(session, wanted, now=self.now())
        except Exception:
            log.exception("fan-out: claiming %d post(s) failed; they stay due for the next run", len(ready))
            for delivery in ready:
                self._lock(delivery.sub.id).release()
            return later
        except BaseException:
            for delivery in ready:
                self._lock(delivery.sub.id).release()
            raise
        claims: dict[int, list[subs.Claim]] = {}
        for claim in made:
            claims.setdefault(claim.subscription_id, []).append(claim)
        held: list[_Delivery | int] = []
        for delivery in ready:
            mine = claims.get(delivery.sub.id, [])
            if len(mine) == len(delivery.render.meeting_ids):
                delivery.claims = mine
                held.append(delivery)
            else:
                self._lock(delivery.sub.id).release()
                later.append(delivery.sub.id)
        return held + later

    async def _run_job(self, job: _Delivery | int, cache: _RunCache, recorder: _Recorder) -> int:
        """One worker's job: a claimed post, or a subscription to run on its own (recovery)."""
        subscription_id = job if isinstance(job, int) else job.sub.id
        try:
            async with asyncio.timeout(CHANNEL_TIMEOUT_SECONDS):
                if isinstance(job, int):
                    return await self.run_subscription(job, cache=cache)
                with recorder.posting():
                    done = await self._deliver(
                        job.sub,
                        job.render.messages,
                        job.claims,
                        job.nonce,
                        recovering=False,
                        advance_to=job.advance_to,
                        recorder=recorder,
                    )
                return max(done, 0)
        except TimeoutError:
            log.warning("subscription %s: channel too slow; its claim is kept for the next run", subscription_id)
        except Exception:
            log.exception("subscription %s: digest run failed", subscription_id)
        finally:
            if isinstance(job, _Delivery):
                self._lock(job.sub.id).release()
        return 0

    async def _record(self, posted: list[subs.Posted]) -> None:
        async with self._writing() as session:
            await subs.record_posted(session, posted, now=self.now())

    def announced_since(self, meeting_id: int, ingested_at: datetime) -> bool:
        """True if this process fanned the meeting out after a report of it was ingested at `ingested_at`."""
        announced = self._announced.get(meeting_id)
        return announced is not None and announced >= ingested_at

    def mark_announced(self, meeting_ids: Sequence[int]) -> None:
        """Remember that these meetings' reports so far have been dealt with by this process."""
        moment = datetime.now(UTC)
        for meeting_id in meeting_ids:
            self._announced[meeting_id] = moment

    async def on_new_reports(self, meeting_ids: Sequence[int]) -> int:
        """New meetings were ingested: post them to every active `on-new` subscription this process serves."""
        self.mark_announced(meeting_ids)
        async with self.sessions.begin() as session:
            work = await subs.due_work(session, schedule="on-new")
        targets = sum(1 for w in work if self.serves(w.subscription.guild_id))
        log.info("new meetings %s: fanning out to %d on-new subscription(s)", list(meeting_ids), targets)
        return await self._fan_out(work)


def spawn(tasks: set[asyncio.Task[Any]], coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
    """Start `coro` as a task kept in `tasks` (so it is not garbage-collected) that logs its failure."""

    async def logged() -> Any:
        try:
            return await coro
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background task %s failed", name)
            return None

    task = asyncio.create_task(logged(), name=name)
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task
