"""The move shared by the GD family: :math:`x_{t+1}=x_t-h_t\\,g_t` with a scalar step."""
from .._jit import inner


@inner
def descend(X, G, j, h, aeff, monitor):
    """``X[:, j] -= h * G[:, j]``; with ``monitor`` every coordinate's effective step is h."""
    for i in range(X.shape[0]):
        X[i, j] -= h * G[i, j]
    if monitor:
        for i in range(X.shape[0]):
            aeff[i, j] = h
    return h
