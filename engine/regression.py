"""A real two-parameter model whose loss surface is the 2D picture: linear regression y ≈ w·x + b.

The data are generated, seeded, here: x uniform on [0, 2], y = 1.5·x + 0.5 + ε with ε ~ N(0, noise²);
the first ``n_train`` samples are the training split, the next ``N_VAL`` (200) the validation split.
The surface is the mean squared error on the TRAINING split over the parameters (w, b), i.e. the surface
coordinates are x = w (slope) and y = b (intercept):

    L(w, b) = (1/n) Σᵢ (w xᵢ + b − yᵢ)²
            = w²·E[x²] + 2wb·E[x] + b² − 2w·E[xy] − 2b·E[y] + E[y²]       (E = mean over the split)
    ∇L     = 2·(w E[x²] + b E[x] − E[xy],  w E[x] + b − E[y])
    ∇²L    = (2/n) XᵀX = 2·[[E[x²], E[x]], [E[x], 1]]   (constant: the surface is an exact quadratic)

with X = [x, 1] the design matrix; its minimiser is the least-squares solution of XᵀX p = Xᵀy.
Because x is not centred, E[x] ≠ 0 couples w and b and the bowl is a tilted, narrow valley
(κ ≈ 10–30 for the default data): the same conditioning the earlier lessons show on test functions.

Overfitting in two parameters, honestly: a straight line cannot memorise data, but with only a few
noisy training points (default 8, noise 0.6) the least-squares line chases the noise, and its
parameters differ from the validation optimum (≈ the true (1.5, 0.5), estimated from 200 points).
Gradient descent from (0, 0) sweeps a path from the start toward the training optimum; when the
validation optimum lies partway along that path, the validation loss falls, bottoms out and rises again
while the training loss keeps falling: stopping early shrinks the fit toward the start, like ridge
regularisation.  Whether that happens depends on the sample.  The default seed (6) gives a sample
where it does (training slope 2.06 against 1.53 on validation); other seeds give samples where the
training optimum is already close to the validation one, and the validation loss then only falls.
Nothing is hidden: the seed, the split sizes and the noise are the surface's parameters.

Mini-batches: the loss is a mean over the training points, so the surface carries them as ``Examples``
(``engine.minibatch``): ``simulate(..., batch=B)`` steps with the gradient of B of them at a time.

``regression_std`` is the same data with the inputs standardised by the training split's mean m and standard
deviation s (population, ddof = 0): x' = (x − m)/s for both splits, the model y ≈ w'·x' + b'.  Then E[x'] = 0
and E[x'²] = 1 on the training split, so the Hessian is 2·I: κ = 1, a round bowl (LeCun, Bottou, Orr, Müller,
"Efficient BackProp", 1998).  The fitted line is the same (w = w'/s, b = b' − w'·m/s); only the coordinates
of the map, and so the conditioning gradient descent meets, change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .minibatch import Examples
from .params import Factory, Param
from .surface_type import Surface

__all__ = ["N_VAL", "REGRESSION", "REGRESSION_STD", "TRUE_PARAMS", "Dataset", "least_squares", "make_dataset",
           "regression", "regression_std"]

TRUE_PARAMS = (1.5, 0.5)  # (w, b) of the line the data are drawn around
X_RANGE = (0.0, 2.0)
N_VAL = 200


def least_squares(x, y) -> np.ndarray:
    """(w, b) minimising Σ (w xᵢ + b − yᵢ)²: the 2×2 normal equations solved in closed form.

    With means Sxx = E[x²], Sx = E[x], Sxy = E[xy], Sy = E[y] and det = Sxx − Sx² (the variance of x):
    w = (Sxy − Sx·Sy)/det, b = (Sxx·Sy − Sx·Sxy)/det.  Needs two distinct x values (det > 0).
    """
    sxx, sx, sxy, sy, _ = _moments(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    det = sxx - sx * sx
    if not det > 1e-12 * max(sxx, 1.0):
        raise ValueError("least squares needs at least two distinct x values")
    return np.array([(sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det])


def _moments(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float, float]:
    """E[x²], E[x], E[xy], E[y], E[y²] over one split."""
    return float(np.mean(x * x)), float(np.mean(x)), float(np.mean(x * y)), float(np.mean(y)), float(np.mean(y * y))


def _mse(moments, w, b):
    """The mean squared error of the line (w, b) from the split's moments (broadcasts over w, b)."""
    sxx, sx, sxy, sy, syy = moments
    return w * w * sxx + 2.0 * w * b * sx + b * b - 2.0 * w * sxy - 2.0 * b * sy + syy


@dataclass(frozen=True, eq=False)
class Dataset:
    """A training and a validation split of (x, y) pairs drawn from the same line and noise."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the split ``name``: "train" or "val"."""
        if name not in ("train", "val"):
            raise ValueError(f"split must be 'train' or 'val', got {name!r}")
        return (self.x_train, self.y_train) if name == "train" else (self.x_val, self.y_val)

    def loss(self, name: str, p) -> np.ndarray:
        """Mean squared error on split ``name`` of the lines p = (w, b), p of shape (..., 2) -> (...)."""
        p = np.asarray(p, dtype=float)
        return np.asarray(_mse(_moments(*self.split(name)), p[..., 0], p[..., 1]), dtype=float)

    def optimum(self, name: str) -> np.ndarray:
        """The least-squares (w, b) of split ``name``."""
        return least_squares(*self.split(name))

    def standardized(self) -> Dataset:
        """The same points with x' = (x − m)/s, m and s the training split's mean and standard deviation
        (ddof = 0), applied to both splits (the validation split never informs the scaling)."""
        m, s = float(np.mean(self.x_train)), float(np.std(self.x_train))
        return Dataset((self.x_train - m) / s, self.y_train, (self.x_val - m) / s, self.y_val)


def make_dataset(n_train: int = 8, noise: float = 0.6, seed: int = 6) -> Dataset:
    """Draw n_train + N_VAL points (x uniform on X_RANGE, y = 1.5x + 0.5 + N(0, noise²)) with ``seed``.

    Validation points come after the training ones from the same generator, so changing ``n_train``
    keeps the first training points and changes the validation set; the same arguments always give
    the same data."""
    if int(n_train) != n_train or n_train < 3:
        raise ValueError(f"n_train must be a whole number >= 3, got {n_train!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(int(seed))
    n = int(n_train) + N_VAL
    x = rng.uniform(*X_RANGE, n)
    y = TRUE_PARAMS[0] * x + TRUE_PARAMS[1] + noise * rng.standard_normal(n)
    k = int(n_train)
    return Dataset(x[:k], y[:k], x[k:], y[k:])


def _batch_grad(x_train: np.ndarray, y_train: np.ndarray):
    """The mini-batch gradient of the training MSE (``engine.minibatch.BatchGradFn``): for each trajectory k at
    (w_k, b_k) with examples idx[k], 2·mean_j r_kj·(x_j, 1), r_kj = w_k x_j + b_k − y_j (per-example ∇fᵢ)."""
    def batch_grad(w, b, idx, out):
        xs, ys = x_train[idx], y_train[idx]
        residual = np.asarray(w)[..., None] * xs + np.asarray(b)[..., None] - ys
        out[0] = 2.0 * np.mean(residual * xs, axis=-1)
        out[1] = 2.0 * np.mean(residual, axis=-1)
    return batch_grad


def regression(n_train: int = 8, noise: float = 0.6, seed: int = 6) -> Surface:
    """The training MSE of y ≈ w·x + b over (w, b) as a Surface (see the module docstring).

    Start (0, 0), the usual zero initialisation; the view is a square around the start, the training
    optimum and the validation optimum, so the whole path and both optima are on screen."""
    return _mse_surface(
        make_dataset(n_train, noise, seed), "regression", "Linear regression (training loss)",
        r"L(w, b) = \frac{1}{n}\sum_{i=1}^{n} (w\,x_i + b - y_i)^2",
        "Because the x values are not centred, w and b trade off against each other and the bowl is a tilted "
        "valley.", {"n_train": int(n_train), "noise": float(noise), "seed": int(seed)})


def regression_std(n_train: int = 8, noise: float = 0.6, seed: int = 6) -> Surface:
    """The training MSE of y ≈ w'·x' + b' with x standardised (module docstring): Hessian 2·I, a round bowl.
    The same data as ``regression`` with the same arguments."""
    return _mse_surface(
        make_dataset(n_train, noise, seed).standardized(), "regression_std",
        "Linear regression, standardised inputs (training loss)",
        r"L(w, b) = \frac{1}{n}\sum_{i=1}^{n} (w\,x'_i + b - y_i)^2,\quad x' = \frac{x - \bar x}{s_x}",
        "The inputs are standardised (mean 0, standard deviation 1 on the training points), so w and b no "
        "longer trade off: the Hessian is 2·I and the bowl is round.",
        {"n_train": int(n_train), "noise": float(noise), "seed": int(seed)})


def _mse_surface(data: Dataset, slug: str, name: str, formula: str, shape: str, params: dict) -> Surface:
    """The training MSE of ``data`` over (w, b) with its closed-form gradient and Hessian (module docstring);
    start (0, 0), the view a square around the start and both optima."""
    moments = _moments(data.x_train, data.y_train)
    sxx, sx, sxy, sy, _ = moments
    best = data.optimum("train")
    corners = np.array([[0.0, 0.0], best, data.optimum("val")])
    centre = (corners.min(axis=0) + corners.max(axis=0)) / 2
    half = 0.6 * float(np.max(corners.max(axis=0) - corners.min(axis=0))) + 0.5
    return Surface(
        slug=slug, name=name, formula=formula, params=params,
        description=(
            f"The mean squared error of the line y = w·x + b on {params['n_train']} noisy training points: the "
            f"horizontal axis is the slope w, the vertical one the intercept b. {shape} The minimum is the "
            f"least-squares line of the training points; a separate validation set of {N_VAL} points shows how "
            "well each line generalises."),
        f=lambda w, b: _mse(moments, w, b),
        df=lambda w, b: (2.0 * (w * sxx + b * sx - sxy), 2.0 * (w * sx + b - sy)),
        d2f=lambda w, b: (2.0 * sxx, 2.0 * sx, 2.0),
        minima=best[None, :],
        bounds=((centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half)),
        start=(0.0, 0.0),
        examples=Examples(len(data.x_train), _batch_grad(data.x_train, data.y_train)),
    )


REGRESSION = Factory("surface", "regression", (
    Param("n_train", 8, low=3, high=200, kind="int", help="number of training points"),
    Param("noise", 0.6, low=0.0, high=3.0, help="standard deviation of the noise on y"),
    Param("seed", 6, low=0, high=99_999, kind="int", help="random seed of the data"),
), regression)
REGRESSION_STD = Factory("surface", "regression_std", REGRESSION.params, regression_std)
