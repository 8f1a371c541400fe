"""The MNIST workload's training step in PyTorch (CPU), a contender for `npm run bench -- --only mnist`.

Run by bench/suites/mnist.ts as a long-lived child process so that it takes turns with the other contenders:
it builds the model, warms up, prints one JSON line (torch version, threads, the BLAS library mapped into
the process), then times one sample for every line it reads on stdin (a step count, or empty for `--steps`)
and answers with
one JSON line: ms per step, and the CPU time per wall time of the sample (how many cores it kept busy).

The step is simdgan's for examples/mnist/config.json: G (noise ++ one-hot label -> 256 -> 512 -> 784, tanh)
and D (image ++ one-hot -> 512 -> 256 -> 1 logit; the widths are arguments), leaky relu 0.2, normal noise (slope, noise and Adam's beta1 are arguments); D on real and fake rows
(targets 1 and 0), then G through the updated D (target 1: the non-saturating loss), BCE with logits,
Adam (beta1 0.5, eps 1e-7).
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
from torch import nn

from torch_scaling import blas


def mlp(widths, alpha, output=None):
    layers = []
    for i in range(1, len(widths)):
        layers.append(nn.Linear(widths[i - 1], widths[i]))
        if i < len(widths) - 1:
            layers.append(nn.LeakyReLU(alpha))
    if output is not None:
        layers.append(output)
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=10, help="steps per sample")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--noise-dim", type=int, default=100)
    ap.add_argument("--g-hidden", default="256,512")
    ap.add_argument("--d-hidden", default="512,256")
    ap.add_argument("--classes", type=int, default=10, help="0: unconditional")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--alpha", type=float, default=0.2, help="leaky relu slope")
    ap.add_argument("--beta1", type=float, default=0.5)
    ap.add_argument("--noise", choices=["normal", "uniform"], default="normal")
    args = ap.parse_args()

    # The BLAS runs the products on --threads threads (OPENBLAS_NUM_THREADS, set by bench/suites/torch.ts);
    # torch's own intra-op threads would contend with it, so they stay at one.
    torch.set_num_threads(1)
    torch.manual_seed(1)
    m, k, c = args.batch, args.noise_dim, args.classes
    rng = np.random.default_rng(1)
    real = torch.from_numpy(rng.uniform(-1, 1, (m, 784)).astype(np.float32))
    onehot = torch.zeros(m, c)
    if c:
        onehot[torch.arange(m), torch.arange(m) % c] = 1
    g_hidden = [int(v) for v in args.g_hidden.split(",")]
    d_hidden = [int(v) for v in args.d_hidden.split(",")]
    G = mlp([k + c, *g_hidden, 784], args.alpha, nn.Tanh())
    D = mlp([784 + c, *d_hidden, 1], args.alpha)
    d_opt = torch.optim.Adam(D.parameters(), lr=args.lr, betas=(args.beta1, 0.999), eps=1e-7)
    g_opt = torch.optim.Adam(G.parameters(), lr=args.lr, betas=(args.beta1, 0.999), eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    d_target = torch.cat([torch.ones(m, 1), torch.zeros(m, 1)])
    g_target = torch.ones(m, 1)
    real_in = torch.cat([real, onehot], 1)

    def noise():
        return torch.randn(m, k) if args.noise == "normal" else torch.rand(m, k) * 2 - 1

    def step():
        fake = G(torch.cat([noise(), onehot], 1))
        d_opt.zero_grad(set_to_none=True)
        bce(D(torch.cat([real_in, torch.cat([fake.detach(), onehot], 1)])), d_target).backward()
        d_opt.step()
        g_opt.zero_grad(set_to_none=True)
        for p in D.parameters():
            p.requires_grad_(False)
        bce(D(torch.cat([fake, onehot], 1)), g_target).backward()
        for p in D.parameters():
            p.requires_grad_(True)
        g_opt.step()

    for _ in range(5):
        step()
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "blas": blas()}), flush=True)
    for line in sys.stdin:
        steps = int(line) if line.strip() else args.steps
        t, cpu = time.perf_counter(), time.process_time()
        for _ in range(steps):
            step()
        wall = time.perf_counter() - t
        print(json.dumps({"ms": wall * 1000 / steps, "cores": (time.process_time() - cpu) / wall}), flush=True)


if __name__ == "__main__":
    main()
