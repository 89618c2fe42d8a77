"""Errors raised while installing, starting or stopping dev servers."""


class ServerError(RuntimeError):
    """A dev server could not be installed, started or stopped."""


class InstallError(ServerError):
    """Building or downloading a server's files failed."""


class StartError(ServerError):
    """A server did not become ready."""
