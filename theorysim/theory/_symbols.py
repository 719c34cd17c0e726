r"""Named sympy symbols shared by every statement (one symbol per paper letter).

All constants are declared positive (the papers' hypotheses: :math:`L_0, L_1 > 0` in Zhang et
al. 2020, Assumption 3); iteration counters are positive integers.
"""
import sympy as sp

L0, L1, L = sp.symbols("L_0 L_1 L", positive=True)
eps = sp.Symbol("epsilon", positive=True)
Delta = sp.Symbol("Delta", positive=True)  #: f(x_0) - f^*
M = sp.Symbol("M", positive=True)  #: sup of the gradient norm on the sublevel set (Assumption 4)
tau = sp.Symbol("tau", positive=True)  #: almost-sure bound on the gradient noise (Assumption 5)
R = sp.Symbol("R", positive=True)  #: ||x_0 - x^*||
eta, gamma, beta = sp.symbols("eta gamma beta", positive=True)
h = sp.Symbol("h", positive=True)  #: a fixed step
g = sp.Symbol("g", positive=True)  #: a gradient norm ||grad f(x)||
lam = sp.Symbol("lambda", positive=True)
alpha = sp.Symbol("alpha", positive=True)
beta1, beta2 = sp.symbols("beta_1 beta_2", positive=True)
C = sp.Symbol("C", positive=True)  #: Reddi et al.'s large gradient
H = sp.Symbol("H", positive=True)  #: Chen et al.'s gradient bound
c = sp.Symbol("c", positive=True)  #: lower bound on the first gradient's coordinates
d = sp.Symbol("d", positive=True, integer=True)  #: dimension
t = sp.Symbol("t", positive=True)  #: iteration (continuous for sums / integrals)
T = sp.Symbol("T", positive=True)  #: horizon
N = sp.Symbol("N", positive=True, integer=True)  #: number of GD steps (PEP statements)
x = sp.Symbol("x", real=True)
kappa = sp.Symbol("kappa", positive=True)  #: ramp drop / wall height ratio (ramp_wall)
mu = sp.Symbol("mu", nonnegative=True)  #: momentum (heavy ball)
rho = sp.Symbol("rho", nonnegative=True)  #: SAM ascent radius
z = sp.Symbol("z")  #: root of a characteristic polynomial


# stationary laws of SGD (theorysim.theory.yaida2018)
h_i = sp.Symbol("h_i", positive=True)  #: curvature (Hessian eigenvalue) along eigenvector i
c_i = sp.Symbol("c_i", positive=True)  #: per-sample gradient-noise variance along eigenvector i
B = sp.Symbol("B", positive=True)  #: minibatch size
g2 = sp.Symbol("g2", nonnegative=True)  #: <||g||^2>, mean squared norm of the sampled gradient

__all__ = ["L0", "L1", "L", "eps", "Delta", "M", "tau", "R", "eta", "gamma", "beta", "h", "g",
           "lam", "alpha", "beta1", "beta2", "C", "H", "c", "d", "t", "T", "N", "x", "kappa", "mu", "rho",
           "z", "h_i", "c_i", "B", "g2"]
