"""Native reference for the lazytrain benchmarks: numpy (OpenBLAS/LAPACK), one thread.

Called by bench/lib/node-env.mjs as `python3 bench/numpy_bench.py '<json spec>'` with
OPENBLAS_NUM_THREADS=1 and the machine's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE overrides removed.
Prints one JSON line: {"info": {...}, "rows": [{"impl", "dtype", "n", "times": [seconds...]}]}
or {"skipped": reason}. Inputs: uniform in [-0.5, 0.5) as in bench/lib/inputs.mjs (not the same
bits: a different generator, the same distribution).
"""
import ctypes, glob, json, os, sys, time

spec = json.loads(sys.argv[1])
try:
    import numpy as np
except Exception as e:  # noqa: BLE001
    print(json.dumps({"skipped": "numpy not importable: %s" % e}))
    sys.exit(0)

info = {"numpy": np.__version__, "python": sys.version.split()[0],
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}}
try:
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    info["blas"] = cfg.get("name")
    info["blasVersion"] = cfg.get("version")
except Exception as e:  # noqa: BLE001
    info["blas"] = "unknown (%s)" % e
try:
    from threadpoolctl import threadpool_info
    info["threadpools"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
                           for p in threadpool_info()]
except Exception:  # noqa: BLE001
    info["threadpools"] = "threadpoolctl not installed"
try:
    d = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
    libs = glob.glob(os.path.join(d, "*openblas*"))
    lib = ctypes.CDLL(libs[0])
    for pre in ("scipy_openblas_", "openblas_"):
        for suf in ("64_", ""):
            f = getattr(lib, pre + "get_corename" + suf, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                info["core"] = f().decode()
                g = getattr(lib, pre + "get_num_threads" + suf, None)
                if g is not None:
                    info["threads"] = g()
                break
        if "core" in info:
            break
except Exception as e:  # noqa: BLE001
    info["core"] = "unknown (%s)" % e

quick = bool(spec.get("quick"))
budget = 0.3 if quick else 1.5
min_n = 3 if quick else 7


def timeit(fn):
    fn()
    ts = []
    t_end = time.perf_counter() + budget
    while len(ts) < min_n or (time.perf_counter() < t_end and len(ts) < 5000):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return ts


rows = []
rng = np.random.default_rng(1)
topic = spec["topic"]
for n in spec["sizes"]:
    if topic == "gemm":
        for dt, name in (("float64", "f64"), ("float32", "f32")):
            a = (rng.random((n, n)) - 0.5).astype(dt)
            b = (rng.random((n, n)) - 0.5).astype(dt)
            rows.append({"impl": "numpy matmul", "dtype": name, "n": n, "times": timeit(lambda: a @ b)})
    elif topic == "eigh":
        a = rng.random((n, n)) - 0.5
        s = np.tril(a) + np.tril(a, -1).T
        rows.append({"impl": "numpy eigh", "dtype": "f64", "n": n, "times": timeit(lambda: np.linalg.eigh(s))})
        rows.append({"impl": "numpy eigvalsh", "dtype": "f64", "n": n, "times": timeit(lambda: np.linalg.eigvalsh(s))})
    elif topic == "solve":
        k = spec["nrhs"]
        g = rng.random((n, n)) - 0.5
        s = g @ g.T / n + np.eye(n)
        b = rng.random((n, k)) - 0.5
        try:
            import scipy
            import scipy.linalg as sl
            info["scipy"] = scipy.__version__
            rows.append({"impl": "numpy cholesky", "dtype": "f64", "n": n,
                         "times": timeit(lambda: sl.cho_factor(s, lower=True, check_finite=False))})
            rows.append({"impl": "numpy cho_solve", "dtype": "f64", "n": n,
                         "times": timeit(lambda: sl.cho_solve(sl.cho_factor(s, lower=True, check_finite=False), b, check_finite=False))})
        except ImportError:
            info["scipy"] = None
            rows.append({"impl": "numpy cholesky", "dtype": "f64", "n": n, "times": timeit(lambda: np.linalg.cholesky(s))})
        rows.append({"impl": "numpy linalg.solve", "dtype": "f64", "n": n, "times": timeit(lambda: np.linalg.solve(s, b))})
print(json.dumps({"info": info, "rows": rows}))
