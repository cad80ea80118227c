#!/usr/bin/env python3
"""The M/M/10 model of `tender bench simulate`, in SimPy, for the speed comparison in the README.

Ten identical servers, Poisson arrivals, exponential service, rho = 0.8, FIFO queue: the textbook
SimPy shape (a Resource with capacity 10, one process per customer). Prints one JSON object with
the customers per second of wall-clock time and the mean wait, which should be near Erlang C's
0.2046 s (mean service 1 s).

    pip install simpy
    python3 examples/simpy_mm10.py [--customers N] [--seed S]
"""

import argparse
import json
import random
import time

import simpy

SERVERS = 10
SERVICE_MEAN = 1.0
ARRIVAL_RATE = 0.8 * SERVERS / SERVICE_MEAN


def customer(env, servers, rng, waits):
    arrived = env.now
    with servers.request() as slot:
        yield slot
        waits.append(env.now - arrived)
        yield env.timeout(rng.expovariate(1 / SERVICE_MEAN))


def arrivals(env, servers, rng, waits, count):
    for _ in range(count):
        yield env.timeout(rng.expovariate(ARRIVAL_RATE))
        env.process(customer(env, servers, rng, waits))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=SERVERS)
    waits = []
    env.process(arrivals(env, servers, rng, waits, args.customers))
    started = time.perf_counter()
    env.run()
    wall = time.perf_counter() - started
    print(json.dumps({
        "model": "M/M/10 rho=0.8 (SimPy %s)" % simpy.__version__,
        "customers": args.customers,
        "wall_s": round(wall, 3),
        "customers_per_s": round(args.customers / wall),
        "mean_wait_s": sum(waits) / len(waits),
    }))


if __name__ == "__main__":
    main()
