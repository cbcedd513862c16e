"""A local fake of Discord's gateway and REST API for end-to-end tests of the real bot."""

from tests.fake_discord.server import CommandHidden, FakeDiscord, FakeInteraction, Recorded

__all__ = ["CommandHidden", "FakeDiscord", "FakeInteraction", "Recorded"]
