"""One point of the scaling sweep in PyTorch (CPU), a contender for `npm run bench`.

Run by bench/suites/scaling.ts as a child process; prints one JSON object: ms per training step, one
sample per repetition, and which BLAS the process loaded. The step is simdgan's: G (16 -> w -> w -> 2)
and D (2 -> w -> w -> 1, logits), relu hidden layers, D on concat(real, G(z)) with targets 0.9 / 0.1, then
G through the updated D, BCE with logits, Adam (eps 1e-7).
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn


def mlp(widths):
    layers = []
    for i in range(1, len(widths)):
        layers.append(nn.Linear(widths[i - 1], widths[i]))
        if i < len(widths) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def blas():
    """The BLAS library mapped into this process (Debian picks it through its alternatives)."""
    with open("/proc/self/maps") as maps:
        names = {line.split("/")[-1].strip() for line in maps if "/" in line}
    for key in ("openblas", "mkl", "blis", "atlas", "libblas"):
        found = sorted(n for n in names if key in n)
        if found:
            return found[0]
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=int, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--sample-ms", type=float, default=200)
    args = ap.parse_args()

    # The BLAS runs the products on --threads threads (OPENBLAS_NUM_THREADS, set by bench/suites/torch.ts);
    # torch's own intra-op threads would contend with it, so they stay at one.
    torch.set_num_threads(1)
    torch.manual_seed(1)
    w, m = args.width, args.batch
    rng = np.random.default_rng(1)
    real = torch.from_numpy(rng.standard_normal((m, 2)).astype(np.float32))
    G, D = mlp([16, w, w, 2]), mlp([2, w, w, 1])
    d_opt = torch.optim.Adam(D.parameters(), lr=0.001, eps=1e-7)
    g_opt = torch.optim.Adam(G.parameters(), lr=0.0005, eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    d_target = torch.cat([torch.full((m, 1), 0.9), torch.full((m, 1), 0.1)])
    g_target = torch.full((m, 1), 0.9)

    def step():
        z = torch.rand(m, 16) * 2 - 1
        fake = G(z)
        d_opt.zero_grad(set_to_none=True)
        bce(D(torch.cat([real, fake.detach()])), d_target).backward()
        d_opt.step()
        g_opt.zero_grad(set_to_none=True)
        for p in D.parameters():
            p.requires_grad_(False)
        bce(D(fake), g_target).backward()
        for p in D.parameters():
            p.requires_grad_(True)
        g_opt.step()

    for _ in range(3):
        step()
    t = time.perf_counter()
    step()
    steps = max(1, round(args.sample_ms / max((time.perf_counter() - t) * 1000, 1e-3)))
    samples = []
    for _ in range(args.reps):
        t = time.perf_counter()
        for _ in range(steps):
            step()
        samples.append((time.perf_counter() - t) * 1000 / steps)
    print(json.dumps({"samples": samples, "threads": args.threads, "blas": blas(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
