"""Agent Workstation desktop: the composition root and the Qt face of softphone/ and sync/."""

__version__ = "0.1.0"
APP_NAME = "Agent Workstation"
ORGANISATION = "AgentWorkstation"

from pathlib import Path  # noqa: E402 - after the constants a packager reads

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
