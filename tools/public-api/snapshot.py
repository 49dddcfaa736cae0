#!/usr/bin/env python3
"""The public API of the apsched crate, one line per item, from rustdoc's
JSON (nightly): every public module, type, field, variant, function and
method reachable from the crate root, with signatures, and the traits each
public type implements (auto traits too: a type that stops being `Send` is a
breaking change). `internals` (hidden, not an API) is left out.

    tools/public-api/check            compare with tools/public-api/api.txt
    tools/public-api/check --bless    write it anew after a meant change
"""
import json
import sys


def ty(t):
    """A type, written roughly as in Rust."""
    if t is None:
        return "()"
    (kind, v), = t.items()
    if kind == "resolved_path":
        return v["path"] + args(v.get("args"))
    if kind == "primitive":
        return v
    if kind == "generic":
        return v
    if kind == "tuple":
        return "(" + ", ".join(ty(x) for x in v) + ")"
    if kind == "slice":
        return "[" + ty(v) + "]"
    if kind == "array":
        return "[" + ty(v["type"]) + "; " + v["len"] + "]"
    if kind == "borrowed_ref":
        life = (v["lifetime"] + " ") if v.get("lifetime") else ""
        return "&" + life + ("mut " if v["is_mutable"] else "") + ty(v["type"])
    if kind == "raw_pointer":
        return "*" + ("mut " if v["is_mutable"] else "const ") + ty(v["type"])
    if kind == "impl_trait":
        return "impl " + " + ".join(bound(b) for b in v)
    if kind == "dyn_trait":
        return "dyn " + " + ".join(p["trait"]["path"] + args(p["trait"].get("args")) for p in v["traits"])
    if kind == "qualified_path":
        return "<" + ty(v["self_type"]) + " as " + (v["trait"]["path"] if v.get("trait") else "?") + ">::" + v["name"]
    if kind == "function_pointer":
        return "fn(" + ", ".join(ty(i[1]) for i in v["sig"]["inputs"]) + ") -> " + ty(v["sig"]["output"])
    return kind


def args(a):
    if not a:
        return ""
    if "angle_bracketed" in a:
        parts = []
        for x in a["angle_bracketed"]["args"]:
            if "type" in x:
                parts.append(ty(x["type"]))
            elif "lifetime" in x:
                parts.append(x["lifetime"])
            elif "const" in x:
                parts.append(str(x["const"].get("expr", "?")))
        for c in a["angle_bracketed"].get("constraints", []):
            binding = c.get("binding", {})
            if "equality" in binding:
                parts.append(c["name"] + " = " + ty(binding["equality"].get("type")))
        return "<" + ", ".join(parts) + ">" if parts else ""
    if "parenthesized" in a:
        p = a["parenthesized"]
        return "(" + ", ".join(ty(x) for x in p["inputs"]) + ") -> " + ty(p.get("output"))
    return ""


def bound(b):
    if "trait_bound" in b:
        t = b["trait_bound"]["trait"]
        return t["path"] + args(t.get("args"))
    if "outlives" in b:
        return b["outlives"]
    return "?"


def generics(g):
    out = []
    for p in g["params"]:
        kind = p["kind"]
        if "type" in kind:
            bounds = kind["type"]["bounds"]
            out.append(p["name"] + (": " + " + ".join(bound(b) for b in bounds) if bounds else ""))
        elif "lifetime" in kind:
            out.append(p["name"])
        elif "const" in kind:
            out.append("const " + p["name"])
    where = []
    for w in g["where_predicates"]:
        if "bound_predicate" in w:
            bp = w["bound_predicate"]
            where.append(ty(bp["type"]) + ": " + " + ".join(bound(b) for b in bp["bounds"]))
    return ("<" + ", ".join(out) + ">" if out else ""), (" where " + ", ".join(where) if where else "")


def function(name, f):
    sig = f["sig"]
    params = ", ".join(n + ": " + ty(t) for n, t in sig["inputs"])
    gen, where = generics(f["generics"])
    head = f["header"]
    pre = ("const " if head["is_const"] else "") + ("async " if head["is_async"] else "") + ("unsafe " if head["is_unsafe"] else "")
    out = "" if sig["output"] is None else " -> " + ty(sig["output"])
    return f"{pre}fn {name}{gen}({params}){out}{where}"


class Walk:
    def __init__(self, doc):
        self.idx = doc["index"]
        self.lines = set()
        self.seen = set()

    def item(self, i):
        return self.idx.get(str(i))

    def module(self, path, m):
        for i in m["items"]:
            it = self.item(i)
            if it is None or it["visibility"] != "public":
                continue
            kind, v = next(iter(it["inner"].items()))
            if kind == "use":
                target = self.item(v["id"]) if v.get("id") is not None else None
                if target is not None:
                    self.named(f"{path}::{v['name']}", target)
                continue
            if it["name"] == "internals":
                continue
            self.named(f"{path}::{it['name']}", it)

    def named(self, path, it):
        kind, v = next(iter(it["inner"].items()))
        if "non_exhaustive" in it.get("attrs", []):
            self.lines.add(f"#[non_exhaustive] {path}")
        if (path, it["id"]) in self.seen:
            return
        self.seen.add((path, it["id"]))
        if kind == "module":
            self.lines.add(f"mod {path}")
            self.module(path, v)
        elif kind == "function":
            self.lines.add(f"{path}: {function(it['name'], v)}")
        elif kind == "struct":
            gen, where = generics(v["generics"])
            self.lines.add(f"struct {path}{gen}{where}")
            fields = v["kind"].get("plain", {}).get("fields", []) if isinstance(v["kind"], dict) else []
            for f in fields:
                fi = self.item(f)
                if fi and fi["visibility"] == "public":
                    self.lines.add(f"{path}::{fi['name']}: {ty(fi['inner']['struct_field'])}")
            if isinstance(v["kind"], dict) and v["kind"].get("plain", {}).get("has_stripped_fields"):
                self.lines.add(f"{path}: (private fields)")
            self.impls(path, v["impls"])
        elif kind == "enum":
            gen, where = generics(v["generics"])
            self.lines.add(f"enum {path}{gen}{where}")
            for var in v["variants"]:
                vi = self.item(var)
                vk = vi["inner"]["variant"]["kind"]
                if isinstance(vk, dict) and "struct" in vk:
                    names = [self.item(f) for f in vk["struct"]["fields"]]
                    body = " { " + ", ".join(f"{f['name']}: {ty(f['inner']['struct_field'])}" for f in names if f) + " }"
                elif isinstance(vk, dict) and "tuple" in vk:
                    body = "(" + ", ".join(ty(self.item(f)["inner"]["struct_field"]) if f is not None and self.item(f) else "_" for f in vk["tuple"]) + ")"
                else:
                    body = ""
                self.lines.add(f"{path}::{vi['name']}{body}")
            self.impls(path, v["impls"])
        elif kind == "type_alias":
            self.lines.add(f"type {path} = {ty(v['type'])}")
        elif kind == "constant":
            self.lines.add(f"const {path}: {ty(v['type'])}")
        elif kind == "trait":
            self.lines.add(f"trait {path}")
            for m in v["items"]:
                mi = self.item(m)
                if mi and "function" in mi["inner"]:
                    self.lines.add(f"{path}: {function(mi['name'], mi['inner']['function'])}")
        else:
            self.lines.add(f"{kind} {path}")

    def impls(self, path, ids):
        for i in ids:
            imp = self.item(i)
            if imp is None:
                continue
            v = imp["inner"]["impl"]
            if v.get("blanket_impl") is not None:
                continue
            if v.get("trait"):
                self.lines.add(f"impl {v['trait']['path']}{args(v['trait'].get('args'))} for {path}")
                continue
            for m in v["items"]:
                mi = self.item(m)
                if mi and mi["visibility"] == "public" and "function" in mi["inner"]:
                    self.lines.add(f"{path}: {function(mi['name'], mi['inner']['function'])}")


def main():
    doc = json.load(open(sys.argv[1]))
    w = Walk(doc)
    root = w.item(doc["root"])
    w.module(root["name"], root["inner"]["module"])
    for line in sorted(w.lines):
        print(line)


if __name__ == "__main__":
    main()
