"""The reference workload in PyTorch (CPU), a contender for `npm run bench`.

Run by bench/suites/reference.ts and bench/suites/footprint.ts as a child process; prints one JSON object.
The step follows docs/reference-workload.md: D on concat(real, G(z)) with targets 0.9 / 0.1, then G
through the updated D with targets 0.9, Glorot-uniform kernels and zero biases, Adam with eps 1e-7.
"""
import argparse
import json
import re
import resource
import time

import numpy as np
import torch
from torch import nn



def peak_rss_kb():
    """This process's own peak RSS: ru_maxrss survives exec on Linux (a child starts with its parent's peak),
    VmHWM in /proc/self/status does not."""
    try:
        with open("/proc/self/status") as f:
            return int(re.search(r"^VmHWM:\s+(\d+) kB$", f.read(), re.M).group(1))
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def dense(inputs, units):
    layer = nn.Linear(inputs, units)
    nn.init.xavier_uniform_(layer.weight)  # Keras' glorot_uniform
    nn.init.zeros_(layer.bias)
    return layer


def kl_divergence(real, fake):
    # The reference workload's metric: numpy.histogram of real with 100 bins, fake over the same edges.
    p, edges = np.histogram(real, bins=100)
    q, _ = np.histogram(fake, bins=edges)
    p = p / (p.sum() + 1e-8)
    q = q / (q.sum() + 1e-8)
    return float(np.sum(p * (np.log(p + 1e-8) - np.log(q + 1e-8))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=1000)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    real = torch.from_numpy(rng.standard_normal((1000, 1)).astype(np.float32))
    D = nn.Sequential(dense(1, 32), nn.ReLU(), dense(32, 1))  # logits; the sigmoid is fused into the loss
    G = nn.Sequential(dense(16, 32), nn.ReLU(), dense(32, 1))
    d_opt = torch.optim.Adam(D.parameters(), lr=0.001, eps=1e-7)
    g_opt = torch.optim.Adam(G.parameters(), lr=0.0005, eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    g_params = list(G.parameters())

    size = 1000 // 3
    bounds = [(0, size), (size, 2 * size), (2 * size, 1000)]
    targets = {}
    for lo, hi in bounds:
        m = hi - lo
        targets[m] = (torch.cat([torch.full((m, 1), 0.9), torch.full((m, 1), 0.1)]), torch.full((m, 1), 0.9))

    reports = []
    first_step = None
    started = time.perf_counter()
    for epoch in range(args.epochs):
        for lo, hi in bounds:
            m = hi - lo
            d_target, g_target = targets[m]
            z = torch.rand(m, 16) * 2 - 1
            with torch.no_grad():
                fake = G(z)
            d_opt.zero_grad(set_to_none=True)
            d_loss = bce(D(torch.cat([real[lo:hi], fake])), d_target)
            d_loss.backward()
            d_opt.step()
            # G step through the updated D, which stays frozen: only G's gradients are computed.
            g_opt.zero_grad(set_to_none=True)
            g_loss = bce(D(G(z)), g_target)
            g_loss.backward(inputs=g_params)
            g_opt.step()
            if first_step is None:
                first_step = time.time() * 1000
        if epoch % 10 == 0:
            with torch.no_grad():
                fake = G(torch.rand(1000, 16) * 2 - 1).numpy()
            reports.append({"epoch": epoch, "dLoss": d_loss.item(), "gLoss": g_loss.item(),
                            "kl": kl_divergence(real.numpy(), fake)})
    seconds = time.perf_counter() - started

    last = reports[-10:]
    print(json.dumps({
        "msPerEpoch": seconds * 1000 / args.epochs,
        "kl": sum(r["kl"] for r in last) / len(last),
        "reports": len(reports),
        "firstStepAt": first_step,
        "maxRssKB": peak_rss_kb(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
