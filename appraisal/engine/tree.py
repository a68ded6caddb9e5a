"""The value tree on arrays: effective weights and shares from weights local to each group, group
subtotals, and weights drawn uniformly at each node (for SMAA).

Nodes are the groups (0..G-1) then the criteria (G..G+m-1); each has a parent group, or -1 for the top.
A node's local share is its weight over the weights of its siblings in use; a criterion's effective share
is the product of the local shares down its path. A group's weight is its [group_weights] entry, or,
when weights are global, the sum of its criteria's weights (so groups then only give subtotals).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..model import Appraisal


@dataclass(frozen=True, eq=False)
class Tree:
    parent: np.ndarray  # (G,) int: each group's parent group, -1 at the top
    group_of: np.ndarray  # (m,) int: each criterion's group, -1 at the top
    group_weights: np.ndarray | None = None  # (G,) local weights; None: criterion weights are global
    group_ids: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.parent)

    @cached_property
    def node_parent(self) -> np.ndarray:
        return np.concatenate([self.parent, self.group_of]).astype(int)

    @cached_property
    def depth(self) -> np.ndarray:
        """(G,) depth of each group: 0 at the top."""
        d = np.zeros(self.size, dtype=int)
        for _ in range(self.size):
            nd = np.where(self.parent >= 0, d[np.maximum(self.parent, 0)] + 1, 0)
            if np.array_equal(nd, d):
                break
            d = nd
        return d

    @cached_property
    def levels(self) -> tuple[np.ndarray, ...]:
        """Group indices by depth, the top first: parents are always done before their children."""
        return tuple(np.flatnonzero(self.depth == k) for k in range(int(self.depth.max(initial=-1)) + 1))

    @cached_property
    def member(self) -> np.ndarray:
        """(m, G) float: 1 where criterion j is anywhere below group g."""
        m = np.zeros((len(self.group_of), self.size))
        g = self.group_of.copy()
        rows = np.arange(len(g))
        while (g >= 0).any():
            ok = g >= 0
            m[rows[ok], g[ok]] = 1.0
            g = np.where(ok, self.parent[np.maximum(g, 0)], -1)
        return m

    def ancestors(self, g: int) -> list[int]:
        out = []
        while g >= 0:
            out.append(g)
            g = int(self.parent[g])
        return out


# Trees by (groups, criteria, group weights), holding the tuples so their ids are not reused while cached:
# edits keep these tuples, so re-evaluating after a score edit reuses the tree and its derived arrays.
_TREES: OrderedDict[tuple, tuple[tuple, tuple, Tree]] = OrderedDict()


def tree_from(a: Appraisal) -> Tree:
    gw = None if a.group_weights is None else tuple(a.group_weights[g.id] for g in a.groups)
    key = (id(a.groups), id(a.criteria), gw)
    hit = _TREES.get(key)
    if hit is not None and hit[0] is a.groups and hit[1] is a.criteria:
        return hit[2]
    tree = _tree_from(a)
    _TREES[key] = (a.groups, a.criteria, tree)
    if len(_TREES) > 64:
        _TREES.popitem(last=False)
    return tree


def _tree_from(a: Appraisal) -> Tree:
    gidx = {g.id: k for k, g in enumerate(a.groups)}
    parent = np.array([gidx[g.parent] if g.parent is not None else -1 for g in a.groups], dtype=int)
    group_of = np.array([gidx[c.group] if c.group is not None else -1 for c in a.criteria], dtype=int)
    gw = None if a.group_weights is None else np.array([a.group_weights[g.id] for g in a.groups], dtype=float)
    return Tree(parent, group_of, gw, tuple(gidx))


def group_active(t: Tree, criterion_active: np.ndarray) -> np.ndarray:
    """A group is in use when any criterion below it is."""
    return (criterion_active.astype(float) @ t.member) > 0


def node_weights(t: Tree, weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """(G + m,) each node's weight among its siblings, 0 for nodes not in use."""
    crit = np.where(criterion_active, weights, 0.0)
    if t.group_weights is None:
        groups = crit @ t.member
    else:
        groups = np.where(group_active(t, criterion_active), t.group_weights, 0.0)
    return np.concatenate([groups, crit])


def local_shares(t: Tree, weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """(G + m,) each node's share among its siblings in use. Where the siblings' weights are all zero
    (only possible under a node of no weight) they share equally, so analyses inside stay defined."""
    w = node_weights(t, weights, criterion_active)
    active = np.concatenate([group_active(t, criterion_active), criterion_active]).astype(float)
    slot = t.node_parent + 1  # 0: the top
    total = np.bincount(slot, weights=w, minlength=t.size + 1)
    count = np.bincount(slot, weights=active, minlength=t.size + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total[slot] > 0, w / total[slot], active / count[slot])
    return np.nan_to_num(share)


def propagate(t: Tree, local: np.ndarray) -> np.ndarray:
    """Products of local shares down every path: (..., G + m) -> the same, each node's effective share.
    Works on one vector or on rows of samples."""
    out = np.array(local, dtype=float, copy=True)
    G = t.size
    for level in t.levels[1:]:
        out[..., level] *= out[..., t.parent[level]]
    inner = np.flatnonzero(t.group_of >= 0)
    out[..., G + inner] *= out[..., t.group_of[inner]]
    return out


def effective_shares(t: Tree, weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """(m,) each criterion's effective share: they sum to 1 over the criteria in use."""
    return propagate(t, local_shares(t, weights, criterion_active))[t.size:]


def effective_weights(t: Tree, weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """(m,) weights that give the effective shares and keep the top level's total weight: criterion j
    gets w_j times, for each group above it, the group's weight over its children's total. So a tree
    whose group weights are the sums of their criteria's weights gives back exactly the weights.
    With global weights (no group weights), the weights themselves (0 where not in use)."""
    crit = np.where(criterion_active, weights, 0.0)
    if t.group_weights is None:
        return crit
    w = node_weights(t, weights, criterion_active)
    below = np.bincount(t.node_parent + 1, weights=w, minlength=t.size + 1)[1:]  # each group's children's total
    ratio = np.zeros(t.size)  # a group's weight per unit of its children's weight, times its parent's ratio
    for level in t.levels:
        up = np.where(t.parent[level] >= 0, ratio[np.maximum(t.parent[level], 0)], 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio[level] = np.where(below[level] > 0, w[level] * up / below[level], 0.0)
    factor = np.where(t.group_of >= 0, ratio[np.maximum(t.group_of, 0)], 1.0)
    return crit * factor


def group_shares(t: Tree, shares: np.ndarray) -> np.ndarray:
    """(G,) each group's effective share: the sum of its criteria's."""
    return shares @ t.member


def group_totals(t: Tree, scores: np.ndarray, weights: np.ndarray, criterion_active: np.ndarray) -> np.ndarray:
    """(n, G) each option's weighted value on each group's criteria (sum of weight x score below it);
    NaN where a score below the group is missing."""
    w = np.where(criterion_active, weights, 0.0)
    part = np.where(criterion_active, scores * w, 0.0)
    gaps = np.isnan(part)
    if not gaps.any():
        return part @ t.member
    return np.where(gaps.astype(float) @ t.member > 0, np.nan, np.nan_to_num(part) @ t.member)


def tree_weight_sampler(t: Tree, criterion_active: np.ndarray):
    """Draws of effective shares, uniform at each node: the local shares of a node's children in use are
    Dirichlet(1) (normalised exponentials), independently at every node, multiplied down the tree.
    Returns sampler(rng, k) -> (k, number of criteria in use), as smaa's `weight_sampler` takes."""
    G = t.size
    active = np.concatenate([group_active(t, criterion_active), criterion_active])
    nodes = np.flatnonzero(active)
    order = nodes[np.argsort(t.node_parent[nodes], kind="stable")]  # siblings side by side
    par = t.node_parent[order]
    new = np.concatenate([[True], par[1:] != par[:-1]])
    starts = np.flatnonzero(new)
    segment = np.cumsum(new) - 1
    pos = np.full(len(active), -1)
    pos[order] = np.arange(len(order))
    parent_col = np.where(par >= 0, pos[np.maximum(par, 0)], -1)
    depth = np.concatenate([t.depth, np.where(t.group_of >= 0, t.depth[np.maximum(t.group_of, 0)] + 1, 0)])[order]
    steps = [np.flatnonzero(depth == d) for d in range(1, int(depth.max(initial=0)) + 1)]
    out_cols = pos[G + np.flatnonzero(criterion_active)]

    def draw(rng: np.random.Generator, k: int) -> np.ndarray:
        e = rng.standard_exponential((k, len(order)))
        share = e / np.add.reduceat(e, starts, axis=1)[:, segment]
        for cols in steps:
            share[:, cols] *= share[:, parent_col[cols]]
        return share[:, out_cols]

    return draw
