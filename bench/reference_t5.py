#!/usr/bin/python3
"""flanlab's benchmark reference: the same T5 (Hugging Face's T5ForConditionalGeneration semantics, as
src/model/t5.ts), the same parameter count, batch shapes and optimizer (AdamW, clip to norm 1), in PyTorch eager.

Run by the benchmark (src/bench/reference.ts), one process per thread count:
    OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 /usr/bin/python3 bench/reference_t5.py '<json spec>'
Spec: {"config": {T5 config.json fields}, "batch": {"size", "sourceMin", "sourceMax", "targetMin", "targetMax"},
       "warmupSteps", "steps", "threads", "seed", "matmulShapes": [[m, k, n], ...]}
Prints progress to stderr and one line "RESULT {json}" to stdout: torch version, the BLAS library loaded, matmul
speeds, the parameter count, and per measured step its time, padded lengths and real token count.
Needs Debian's python3-torch with libopenblas0-pthread (apt-get install -y python3-torch libopenblas0-pthread).
"""
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

IGNORE_INDEX = -100


def bucket(relative, bidirectional, num_buckets, max_distance):
    """T5's relative position bucket (transformers' T5Attention._relative_position_bucket)."""
    out = torch.zeros_like(relative)
    if bidirectional:
        num_buckets //= 2
        out += (relative > 0).long() * num_buckets
        distance = relative.abs()
    else:
        distance = -torch.clamp(relative, max=0)
    exact = num_buckets // 2
    large = exact + (torch.log(distance.float().clamp(min=1) / exact) / math.log(max_distance / exact) * (num_buckets - exact)).long()
    large = large.clamp(max=num_buckets - 1)
    return out + torch.where(distance < exact, distance, large)


class Norm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(nn.Module):
    def __init__(self, c, position_bias):
        super().__init__()
        inner = c["num_heads"] * c["d_kv"]
        self.heads, self.dkv = c["num_heads"], c["d_kv"]
        self.q, self.k, self.v = (nn.Linear(c["d_model"], inner, bias=False) for _ in range(3))
        self.o = nn.Linear(inner, c["d_model"], bias=False)
        if position_bias:
            self.relative_attention_bias = nn.Embedding(c["relative_attention_num_buckets"], c["num_heads"])

    def forward(self, x, memory, bias):
        split = lambda t: t.view(t.shape[0], t.shape[1], self.heads, self.dkv).transpose(1, 2)
        scores = split(self.q(x)) @ split(self.k(memory)).transpose(-1, -2) + bias  # no 1/sqrt(d_kv), as T5
        context = torch.softmax(scores, -1) @ split(self.v(memory))
        return self.o(context.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1))


class FeedForward(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, ff = c["d_model"], c["d_ff"]
        self.gated = c["feed_forward_proj"].startswith("gated-")
        if self.gated:
            self.wi_0, self.wi_1 = nn.Linear(d, ff, bias=False), nn.Linear(d, ff, bias=False)
        else:
            self.wi = nn.Linear(d, ff, bias=False)
        self.wo = nn.Linear(ff, d, bias=False)
        act = c["feed_forward_proj"].replace("gated-", "")
        self.act = torch.relu if act == "relu" else (F.silu if act == "silu" else (lambda t: F.gelu(t, approximate="tanh")))

    def forward(self, x):
        return self.wo(self.act(self.wi_0(x)) * self.wi_1(x) if self.gated else self.act(self.wi(x)))


class EncoderBlock(nn.Module):
    def __init__(self, c, first):
        super().__init__()
        eps = c["layer_norm_epsilon"]
        self.norm0, self.attention, self.norm1, self.ff = Norm(c["d_model"], eps), Attention(c, first), Norm(c["d_model"], eps), FeedForward(c)

    def forward(self, h, bias):
        h = h + self.attention(self.norm0(h), self.norm0(h), bias)
        return h + self.ff(self.norm1(h))


class DecoderBlock(nn.Module):
    def __init__(self, c, first):
        super().__init__()
        eps, d = c["layer_norm_epsilon"], c["d_model"]
        self.norm0, self.self_attention = Norm(d, eps), Attention(c, first)
        self.norm1, self.cross_attention = Norm(d, eps), Attention(c, False)
        self.norm2, self.ff = Norm(d, eps), FeedForward(c)

    def forward(self, y, memory, self_bias, cross_bias):
        normed = self.norm0(y)
        y = y + self.self_attention(normed, normed, self_bias)
        y = y + self.cross_attention(self.norm1(y), memory, cross_bias)
        return y + self.ff(self.norm2(y))


class T5(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        d, eps = c["d_model"], c["layer_norm_epsilon"]
        self.shared = nn.Embedding(c["vocab_size"], d)
        self.encoder = nn.ModuleList(EncoderBlock(c, i == 0) for i in range(c["num_layers"]))
        self.decoder = nn.ModuleList(DecoderBlock(c, i == 0) for i in range(c["num_decoder_layers"]))
        self.encoder_norm, self.decoder_norm = Norm(d, eps), Norm(d, eps)
        self.lm_head = None if c["tie_word_embeddings"] else nn.Linear(d, c["vocab_size"], bias=False)

    def position_bias(self, table, queries, keys, bidirectional):
        relative = torch.arange(keys)[None, :] - torch.arange(queries)[:, None]
        buckets = bucket(relative, bidirectional, self.c["relative_attention_num_buckets"], self.c["relative_attention_max_distance"])
        return table(buckets).permute(2, 0, 1)[None]  # [1, heads, queries, keys]

    def forward(self, input_ids, attention_mask, decoder_input_ids, labels):
        s, t = input_ids.shape[1], decoder_input_ids.shape[1]
        padding = (1.0 - attention_mask[:, None, None, :].float()) * -1e9
        encoder_bias = self.position_bias(self.encoder[0].attention.relative_attention_bias, s, s, True) + padding
        h = self.shared(input_ids)
        for block in self.encoder:
            h = block(h, encoder_bias)
        memory = self.encoder_norm(h)
        causal = torch.triu(torch.full((t, t), -1e9), 1)[None, None]
        self_bias = self.position_bias(self.decoder[0].self_attention.relative_attention_bias, t, t, False) + causal
        y = self.shared(decoder_input_ids)
        for block in self.decoder:
            y = block(y, memory, self_bias, padding)
        y = self.decoder_norm(y)
        logits = y @ self.shared.weight.t() * self.c["d_model"] ** -0.5 if self.lm_head is None else self.lm_head(y)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE_INDEX)


def random_batch(shape, vocab, rng):
    """Lists (not tensors) for one batch: right-padded source and labels, decoder inputs = labels shifted right."""
    sources = [[rng.randint(2, vocab - 1) for _ in range(rng.randint(shape["sourceMin"], shape["sourceMax"]))] for _ in range(shape["size"])]
    targets = [[rng.randint(2, vocab - 1) for _ in range(rng.randint(shape["targetMin"], shape["targetMax"]))] for _ in range(shape["size"])]
    s, t = max(map(len, sources)), max(map(len, targets))
    input_ids = [row + [0] * (s - len(row)) for row in sources]
    mask = [[1] * len(row) + [0] * (s - len(row)) for row in sources]
    labels = [row + [IGNORE_INDEX] * (t - len(row)) for row in targets]
    decoder_input_ids = [[0] + [x if x != IGNORE_INDEX else 0 for x in row[:-1]] for row in labels]
    tokens = sum(map(len, sources)) + sum(map(len, targets))
    return (input_ids, mask, decoder_input_ids, labels), s, t, tokens


def matmul_speed(m, k, n, repeats=7):
    """Median wall time, and GFLOP per CPU-second of the process (per core when several threads work)."""
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(2):
        torch.mm(a, b)
    times, cpu_times = [], []
    for _ in range(repeats):
        cpu_start = time.process_time()
        start = time.perf_counter()
        torch.mm(a, b)
        times.append((time.perf_counter() - start) * 1e3)
        cpu_times.append(max((time.process_time() - cpu_start) * 1e3, 1e-3))
    ms = sorted(times)[len(times) // 2]
    cpu_ms = sorted(cpu_times)[len(cpu_times) // 2]
    flops = 2 * m * k * n
    return {"m": m, "k": k, "n": n, "ms": ms, "gflops": flops / ms / 1e6, "cpuGflops": flops / cpu_ms / 1e6}


class PeakProbe:
    """The model's 2-D products timed once each, just before a step (same load as the step; the machine is shared)."""

    def __init__(self, shapes):
        self.operands = [(torch.randn(m, k), torch.randn(k, n)) for m, k, n in shapes]
        self.measure()

    def measure(self):
        """Best GFLOP/s among the shapes by wall time and by process CPU time (all threads)."""
        wall = cpu = 0.0
        for a, b in self.operands:
            cpu_start = time.process_time()
            start = time.perf_counter()
            torch.mm(a, b)
            ms = (time.perf_counter() - start) * 1e3
            cpu_ms = max((time.process_time() - cpu_start) * 1e3, 1e-3)
            flops = 2 * a.shape[0] * a.shape[1] * b.shape[1]
            wall, cpu = max(wall, flops / ms / 1e6), max(cpu, flops / cpu_ms / 1e6)
        return wall, cpu


def blas_libraries():
    """Shared libraries of this process whose name says BLAS or LAPACK (which one libblas.so.3 resolved to)."""
    found = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                name = line.split()[-1]
                base = os.path.basename(name).lower()
                if name.startswith("/") and ("blas" in base or "lapack" in base):
                    found.add(os.path.realpath(name))
    except OSError:
        pass
    return sorted(found)


def main():
    spec = json.loads(sys.argv[1])
    c, shape = spec["config"], spec["batch"]
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(spec["seed"])
    rng = random.Random(spec["seed"])
    # matmul speeds before and after the steps, the better kept (other processes' load comes and goes)
    speeds = [matmul_speed(*s) for s in spec["matmulShapes"]]
    square = matmul_speed(1024, 1024, 1024)
    model = T5(c)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    params = sum(p.numel() for p in model.parameters())
    steps = []
    probe = PeakProbe(spec["matmulShapes"])
    for i in range(spec["warmupSteps"] + spec["steps"]):
        lists, s, t, tokens = random_batch(shape, c["vocab_size"], rng)
        peak, peak_cpu = probe.measure()
        cpu_start = time.process_time()
        start = time.perf_counter()
        input_ids, mask, decoder_input_ids, labels = (torch.tensor(x) for x in lists)
        optimizer.zero_grad(set_to_none=True)
        loss = model(input_ids, mask, decoder_input_ids, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        ms = (time.perf_counter() - start) * 1e3
        cpu_ms = (time.process_time() - cpu_start) * 1e3
        print(f"torch threads={spec['threads']} step {i} loss {loss.item():.4f} {ms:.0f} ms", file=sys.stderr)
        if i >= spec["warmupSteps"]:
            steps.append({"ms": ms, "sourceLength": s, "targetLength": t, "tokens": tokens, "loss": loss.item(), "peakGflops": peak, "peakCpuGflops": peak_cpu, "cpuMs": cpu_ms})
    best = lambda a, b: a if a["gflops"] >= b["gflops"] else b
    speeds = [best(a, matmul_speed(*s)) for a, s in zip(speeds, spec["matmulShapes"])]
    square = best(square, matmul_speed(1024, 1024, 1024))
    print("RESULT " + json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blasLibraries": blas_libraries(),
        "blasInfo": next((part.split("=")[1] for part in torch.__config__.show().replace(",", " ").split() if part.startswith("BLAS_INFO=")), None),
        "env": {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))},
        "matmul": speeds,
        "matmul1024": square,
        "params": params,
        "steps": steps,
    }))


if __name__ == "__main__":
    main()
