"""Agent Workstation desktop: the composition root and the Qt face of softphone/ and sync/."""

__version__ = "0.1.0"
APP_NAME = "Agent Workstation"
ORGANISATION = "AgentWorkstation"
