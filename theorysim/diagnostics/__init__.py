"""Measures along a trajectory.

* :mod:`.smoothness` — the local smoothness estimate of Zhang et al. (2020) against the gradient
  norm (their Figures 1-3);
* :mod:`.chen` — Chen et al.'s (2019) accumulated quantities of the effective step sizes and a
  verdict on their convergence conditions, computed from a monitored run;
* :mod:`.stability` — the stability edge of a step-size rule, located by nested sweeps;
* :mod:`.sharpness` — the top Hessian eigenvalue (exact, or Lanczos on Hessian-vector products);
* :mod:`.progress` — relative progress, directional smoothness and curvature per GD step (unstable convergence);
* :mod:`.balance` — balancedness of a deep linear chain (conserved by gradient flow).
"""
from .balance import balancedness, balancedness_drift
from .chen import ChenVerdict, chen_quantities, chen_verdict
from .progress import directional_curvature, directional_smoothness, relative_progress
from .sharpness import hvp, sharpness, sharpness_along
from .smoothness import gradients, local_smoothness
from .stability import Edge, stability_edge, stable_runs

__all__ = ["local_smoothness", "gradients", "chen_quantities", "chen_verdict", "ChenVerdict",
           "Edge", "stability_edge", "stable_runs",
           "sharpness", "sharpness_along", "hvp",
           "relative_progress", "directional_curvature", "directional_smoothness",
           "balancedness", "balancedness_drift"]
