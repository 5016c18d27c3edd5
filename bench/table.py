"""The benchmark's table: one row per measured work, with the naive figure, the ratio and the target."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Row", "rows_from", "render", "fit_exponent", "seconds", "check"]


@dataclass
class Row:
    """One line of the table."""

    row: str
    work: str
    regelgraf: str
    naive: str = "—"
    ratio: str = "—"
    target: str = "—"
    status: str = "—"


def seconds(value: float | None) -> str:
    """A duration for people: 1.2 s, 35 ms, 0.4 ms."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if value >= 1:
        return f"{value:.1f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.2f} ms"


def check(value: float | None, limit: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not measured"
    return "pass" if value <= limit else "FAIL"


def _ratio(naive: float | None, ours: float | None, at: float) -> str:
    if not naive or not ours:
        return "—"
    return f"{naive / ours:.1f}× (at {at:g}×)"


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """b in y = a·x^b by least squares on the logarithms (None with fewer than two sizes)."""
    points = [(x, y) for x, y in points if x and y and y > 0]
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / spread if spread else None


def rows_from(report: dict[str, Any]) -> list[Row]:
    """The table from the runner's report."""
    rows: list[Row] = []
    sizes = report["sizes"]
    main = _main(report)
    compared = [s for s in sizes if "naive" in s]
    at = compared[-1] if compared else None
    naive = at["naive"] if at else {}
    scale = at["scale"] if at else 0
    real = report.get("real", {})
    on = report.get("main", "")

    # 1. import
    if "seconds" in real:
        total = real["seconds"] + real["validate"]["seconds"]
        rows.append(Row("1", f"import of the real corpus ({real['documents']} documents, {real['triples']:,} triples), "
                        f"then full validation; {real['documents'] / real['seconds']:.0f} documents/s, "
                        f"peak {real['peak_rss_mb'] / 1024:.2f} GB",
                        f"{seconds(real['seconds'])} + {seconds(real['validate']['seconds'])}",
                        target="≤ 45 s, ≤ 4 GB",
                        status="pass" if total <= 45 and real["peak_rss_mb"] <= 4096 else "FAIL"))
    else:
        why = real.get("missing") or real.get("skipped") or real.get("error", "")[:200]
        rows.append(Row("1", "import of the real corpus", f"not measured: {why}", target="≤ 45 s, ≤ 4 GB",
                        status="not measured"))
    if at:
        ours = at["import"]["seconds"]
        theirs = naive.get("load_seconds", 0) + naive.get("validate_seconds", 0)
        rows.append(Row("1s", f"load + full validation of the synthetic corpus at {scale:g}× ({at['triples']:,} triples)",
                        f"{seconds(ours)}, {at['import']['peak_rss_mb']:.0f} MB", f"{seconds(theirs)}, "
                        f"{naive['process_peak_rss_mb']:.0f} MB", _ratio(theirs, ours, scale)))
    # 2. validation
    validation = real.get("validate") or main["validate"]
    rows.append(Row("2", f"full SHACL validation ({on})", seconds(validation["seconds"]),
                    seconds(naive.get("validate_seconds")), _ratio(naive.get("validate_seconds"),
                                                                   at["validate"]["seconds"] if at else None, scale),
                    "≤ 30 s", check(validation["seconds"], 30)))
    revalidation = (real.get("revalidate") or main["revalidate"])["seconds"]
    where = on if real.get("revalidate") else f"{main['scale']:g}× synthetic"
    rows.append(Row("2r", f"re-validation after one document changes ({where})",
                    seconds(revalidation), seconds(naive.get("revalidate_seconds")),
                    _ratio(naive.get("revalidate_seconds"), at["revalidate"]["seconds"] if at else None, scale),
                    "≤ 2 s", check(revalidation, 2)))
    # 3. impact
    impact = real.get("impact") or main["impact"]
    dependents = (real.get("targets") or main["targets"])["dependents"]
    limits = {"typical": 0.020, "p90": None, "hub": 0.250}
    for kind in ("typical", "p90", "hub"):
        ours = impact[kind]
        theirs = naive.get(kind, {})
        limit = limits[kind]
        rows.append(Row("3", f"impact with explanations, {kind} target ({dependents[kind]:,.0f} dependents), library",
                        f"p50 {seconds(ours['p50'])}, p95 {seconds(ours['p95'])}",
                        f"p50 {seconds(theirs.get('p50'))}, p95 {seconds(theirs.get('p95'))}" if theirs else "—",
                        _ratio(theirs.get("p95"), at["impact"][kind]["p95"] if at else None, scale),
                        f"p95 ≤ {limit * 1000:.0f} ms" if limit else "—",
                        check(ours["p95"], limit) if limit else "—"))
    web = report["http"]
    for kind in ("typical", "p90", "hub"):
        figure = web.get(f"impact_{kind}", {})
        rows.append(Row("3h", f"impact over HTTP (/impact.json), {kind} target, one client",
                        f"p50 {seconds(figure.get('p50'))}, p95 {seconds(figure.get('p95'))}"
                        + (f", {figure['errors']} errors" if figure.get("errors") else "")))
    if web.get("first_impact_seconds") is not None:
        rows.append(Row("3h", "first impact question after the server starts (waits for the index it builds)",
                        seconds(web["first_impact_seconds"])))
    for name, figure in web.get("pages", {}).items():
        rows.append(Row("3p", f"web UI {name} (`{figure['path']}`), one client",
                        f"p50 {seconds(figure.get('p50'))}, p95 {seconds(figure.get('p95'))}"
                        + (f", {figure['errors']} errors" if figure.get("errors") else "")))
    # 4. throughput
    compared_http = report.get("http_compared", {})
    for clients in ("1", "4", "16"):
        load = web["load"][clients]
        theirs = compared_http.get("naive_load", {}).get(clients)
        ours_at = compared_http.get("load", {}).get(clients)
        ratio = (f"{ours_at['throughput_rps'] / theirs['throughput_rps']:.1f}× req/s (at {compared_http['scale']:g}×)"
                 if theirs and ours_at and theirs["throughput_rps"] else "—")
        rows.append(Row("4", f"endpoint throughput, {clients} client(s), fixed mix",
                        f"{load['throughput_rps']:.0f} req/s, p95 {load['p95_ms']:.0f} ms, {load['errors']} errors",
                        f"{theirs['throughput_rps']:.1f} req/s, p95 {theirs['p95_ms']:.0f} ms, {theirs['errors']} errors"
                        if theirs else "—", ratio,
                        "p95 ≤ 100 ms, 0 errors" if clients == "16" else "0 errors",
                        ("pass" if load["p95_ms"] <= 100 and not load["errors"] else "FAIL") if clients == "16"
                        else ("pass" if not load["errors"] else "FAIL")))
    # 5. cold start
    rows.append(Row("5", "cold start of regelgraf serve to the first answer", seconds(web["ready_seconds"]),
                    seconds(compared_http.get("naive_ready_seconds")),
                    _ratio(compared_http.get("naive_ready_seconds"), compared_http.get("ready_seconds"),
                           compared_http.get("scale", 0)), "≤ 3 s", check(web["ready_seconds"], 3)))
    # 6. growth
    span = f"{sizes[0]['scale']:g}×–{sizes[-1]['scale']:g}×"
    for key, label in (("import", "load + validation time"), ("validate", "full validation time"),
                       ("impact_hub", "hub impact p95"), ("import_rss", "load peak memory")):
        b = report["growth"].get(key)
        rows.append(Row("6", f"growth of {label} with size ({span}), fitted exponent",
                        "n/a" if b is None else f"{b:.2f}", target="≤ 1.0 (linear)",
                        status="not measured" if b is None else ("pass" if b <= 1.1 else "FAIL")))
    # 7. remote
    remote = report.get("remote")
    if remote:
        for kind in ("typical", "hub"):
            figure = remote["impact"][kind]
            rows.append(Row("7", f"impact ({kind}) against oxigraph serve on loopback",
                            f"p50 {seconds(figure['p50'])}, p95 {seconds(figure['p95'])}"))
        load = remote["http"]["load"]["16"]
        rows.append(Row("7", "regelgraf serve on oxigraph serve, 16 clients",
                        f"{load['throughput_rps']:.0f} req/s, p95 {load['p95_ms']:.0f} ms, {load['errors']} errors"))
    return rows


def _main(report: dict[str, Any]) -> dict[str, Any]:
    return report["sizes"][-1]


def render(rows: list[Row], report: dict[str, Any]) -> str:
    """A Markdown table with the machine it ran on."""
    m = report["machine"]
    head = (f"Run of {report.get('started', '?')} (took {report.get('took_minutes', '?')} min). Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, rdflib "
            f"{m['rdflib']}, pyshacl {m['pyshacl']}, pyoxigraph {m['pyoxigraph']}; load average "
            f"{report['load_average_start'][0]:.1f} at start, {report['load_average_end'][0]:.1f} at end. "
            f"Main figures on {report.get('main', '?')}.\n")
    lines = ["| # | work | regelgraf | naive | ratio (naive ÷ regelgraf) | target | status |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r.row} | {r.work} | {r.regelgraf} | {r.naive} | {r.ratio} | {r.target} | {r.status} |" for r in rows]
    return head + "\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.table RESULT.json``: the table of a finished run, for the docs."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.table bench/results/bench-….json", file=sys.stderr)
        return 2
    report = json.loads(open(args[0], encoding="utf-8").read())
    print(render([Row(**row) for row in report["rows"]], report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
