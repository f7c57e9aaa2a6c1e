from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins over HTTP. ``authenticate()`` without a request (the shell,
    a test client's ``login``) has no client to lock out; axes would raise there, this lets it through to
    the password check. Every web and API login passes its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
