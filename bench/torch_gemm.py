"""The GEMM table's PyTorch contender (CPU): torch.mm on the BLAS Debian's alternatives pick, for `npm run bench`.

Run by bench/suites/gemm.ts as a long-lived child process, so its samples take turns with simdgan's in every
round: it prints one JSON line (torch version, threads, the BLAS library mapped into the process), then for every
line "op M K N target_ms" on stdin times one sample of that product and prints its GFLOP/s. op is nn (A·B),
tn (Aᵀ·B) or nt (A·Bᵀ); a row M x K x N is C[M,N] summed over K in every form, as in the table.
"""
import argparse
import json
import sys
import time

import torch

from torch_scaling import blas


def operands(op, m, k, n):
    """Tensors whose product is C[M,N] over K in the form op, and the product as a function."""
    gen = torch.Generator().manual_seed(1)
    a = torch.rand((k, m) if op == "tn" else (m, k), generator=gen) * 2 - 1
    b = torch.rand((n, k) if op == "nt" else (k, n), generator=gen) * 2 - 1
    c = torch.empty(m, n)
    if op == "tn":
        return lambda: torch.mm(a.t(), b, out=c)
    if op == "nt":
        return lambda: torch.mm(a, b.t(), out=c)
    return lambda: torch.mm(a, b, out=c)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    # The BLAS gets the threads (OPENBLAS_NUM_THREADS, set by bench/suites/torch.ts); torch's own stay at one.
    torch.set_num_threads(1)
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "blas": blas()}), flush=True)
    shapes = {}
    for line in sys.stdin:
        op, m, k, n, target_ms = line.split()
        m, k, n, target_ms = int(m), int(k), int(n), float(target_ms)
        key = (op, m, k, n)
        if key not in shapes:
            body = operands(op, m, k, n)
            # Calibrate once per shape, as simdgan's sampler does: enough calls for target_ms.
            calls, elapsed = 1, 0.0
            while True:
                t = time.perf_counter()
                for _ in range(calls):
                    body()
                elapsed = time.perf_counter() - t
                if elapsed * 1000 >= target_ms / 4 or calls >= 1 << 20:
                    break
                calls *= 2
            shapes[key] = (body, max(1, round(calls * target_ms / max(elapsed * 1000, 1e-3))))
        body, calls = shapes[key]
        t = time.perf_counter()
        for _ in range(calls):
            body()
        elapsed = time.perf_counter() - t
        print(json.dumps({"gflops": 2.0 * m * k * n * calls / elapsed / 1e9}), flush=True)


if __name__ == "__main__":
    main()
