#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ for the fuzz targets (run by ./build.sh fuzz).

kb_packed gets the packed tiny KBs (fuzz/seeds/: the test fixture, and one
with safety, paying steps and observation chips) and the packed default KB
of the last build (pkg/kb.bin, kb-text.bin and kb-cues.bin). kb_load gets the repo's knowledge bases (the default one with notes, the
tiny test fixture) and smaller valid variants of the default one, so the
fuzzer starts inside the validator rather than at JSON syntax: the default
KB with every text shortened and notes dropped, and, for each question, a
KB of all causes and actions with only that question. The other targets get
the handful of links, saved sessions and case codes under fuzz/seeds/.
The corpus is not committed (.gitignore); only fuzz/seeds/ is.
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TARGETS = ["kb_load", "kb_packed", "deep_link", "session_restore", "case_decode", "extract"]


def shorten(v, counter=None):
    """Every text to one character per language, notes dropped. A list of
    phrases (how-to, cues, anchors) becomes one short phrase of its own, or
    stays empty: chips of one fact may not share a cue."""
    counter = counter if counter is not None else [0]
    if isinstance(v, dict):
        if set(v) <= {"zh-CN", "en"} and v:
            out = {}
            for k, t in v.items():
                if isinstance(t, list):
                    counter[0] += 1
                    out[k] = [f"x{counter[0]}"] if t else []
                else:
                    out[k] = "x"
            return out
        return {k: shorten(x, counter) for k, x in v.items() if k != "note"}
    if isinstance(v, list):
        return [shorten(x, counter) for x in v]
    return v


def one_question(kb, q):
    """The KB with only question `q` (without skip_if_known): its chips
    kept, the safety section and the steps' fees only when they name no
    other fact."""
    q = {k: x for k, x in q.items() if k != "skip_if_known"}  # it names other facts
    one = dict(kb, questions=[q], tips=kb["tips"][:1])
    one["observations"] = [o for o in kb.get("observations", []) if o["fact"] == q["id"]]
    safety = kb.get("safety")
    if safety and not all(f == q["id"] for f in [safety["paid"]["fact"], safety["fee"]] + [u["fact"] for u in safety["untrusted"]]):
        one.pop("safety")
        one["actions"] = [{k: x for k, x in a.items() if k != "pays"} for a in kb["actions"]]
    # A wait step reads its time-since fact only when that fact is kept.
    one["actions"] = [{k: x for k, x in a.items() if k != "wait_since" or x == q["id"]} for a in one["actions"]]
    if not one["observations"]:
        one.pop("observations")
    return one


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def main():
    for t in TARGETS:
        os.makedirs(os.path.join(HERE, "corpus", t), exist_ok=True)
        seeds = os.path.join(HERE, "seeds", t)
        if os.path.isdir(seeds):
            for f in sorted(os.listdir(seeds)):
                shutil.copy(os.path.join(seeds, f), os.path.join(HERE, "corpus", t, f))
    kb_path = os.path.join(ROOT, "kb", "pos-renewal.json")
    tiny_path = os.path.join(ROOT, "tests", "fixtures", "tiny-kb.json")
    write("kb_load", "pos-renewal.json", open(kb_path, "rb").read())
    write("kb_load", "tiny-kb.json", open(tiny_path, "rb").read())
    kb = json.load(open(kb_path, encoding="utf-8"))
    small = shorten(kb)
    write("kb_load", "pos-renewal-short.json", json.dumps(small, ensure_ascii=False, separators=(",", ":")))
    for i, q in enumerate(small["questions"]):
        one = one_question(small, q)
        write("kb_load", f"one-question-{i:02}.json", json.dumps(one, ensure_ascii=False, separators=(",", ":")))
    # The packed default KB, when a build left one (./build.sh build →
    # pkg/kb.bin, kb-text.bin and kb-cues.bin: in one piece, the three one after the other).
    pkg = os.path.join(ROOT, os.environ.get("PKG_DIR", "pkg"))
    packs = [os.path.join(pkg, name) for name in ("kb.bin", "kb-text.bin", "kb-cues.bin")]
    if all(os.path.exists(p) for p in packs):
        write("kb_packed", "pos-renewal.bin", b"".join(open(p, "rb").read() for p in packs))
    # The extractor starts from the public stories' words (shared/ beside
    # the repository, when it is there) and from every cue of the KB.
    shared = os.path.join(os.path.dirname(ROOT), "shared", "scenarios")
    for name in ("public.json", "public-v2.json"):
        path = os.path.join(shared, name)
        if os.path.exists(path):
            for s in json.load(open(path, encoding="utf-8")).get("scenarios", []):
                write("extract", f"story-{s['id']}.txt", s.get("story", ""))
    for lang in ("zh-CN", "en"):
        cues = [c for o in kb.get("observations", []) for c in o.get("cues", {}).get(lang, [])]
        write("extract", f"cues-{lang}.txt", "，".join(cues) if lang == "zh-CN" else ". ".join(cues))
    tiny = json.load(open(tiny_path, encoding="utf-8"))
    write("kb_load", "tiny-min.json", json.dumps(tiny, ensure_ascii=False, separators=(",", ":")))
    # Saved sessions and links naming every fact and value of the default KB.
    answers = [{"fact": q["id"], "value": q["answers"][0]["value"]} for q in kb["questions"]]
    steps = [{"action": a["id"], "outcome": "not_fixed"} for a in kb["actions"][:3]]
    saved = f"posdoctor-session 1\nkb {kb['id']} {kb['version']}\nmodel A8\nprovider demo\nstarted 1700000000000\n"
    saved += "".join(f"a {a['fact']} {a['value']}\n" for a in answers)
    saved += "".join(f"s {s['action']} {s['outcome']}\n" for s in steps)
    write("session_restore", "all-facts.txt", saved)
    link = "#model=A8&provider=demo&lang=en&" + "&".join(f"f.{a['fact']}={a['value']}" for a in answers)
    write("deep_link", "all-facts", link)
    n = sum(len(os.listdir(os.path.join(HERE, "corpus", t))) for t in TARGETS)
    print(f"    fuzz/corpus: {n} seed files", file=sys.stderr)


if __name__ == "__main__":
    main()
