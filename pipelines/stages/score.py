"""A command stage (`uses: exec` in pipelines/custom-stages.yaml).

Reads {"item": {...}, "inputs": {"summary": {...}}} as JSON on stdin and prints
this item's output as JSON on stdout. A non-zero exit fails the item, with stderr
as its error. This file is declared in `files:`, so editing it reruns the stage.
"""
import json
import sys

item = json.load(sys.stdin)
summary = item["inputs"]["summary"]
if summary["steps"] == 0:
    sys.exit(f"session {summary['session']} has no steps to score")
busy = summary["spanMs"] - summary["idleMs"]
typing = summary["kinds"].get("type", 0)
print(json.dumps({
    "session": summary["session"],
    "stepsPerMinute": round(summary["steps"] / max(busy, 1) * 60_000, 2),
    "typingShare": round(typing / summary["steps"], 3),
}))
