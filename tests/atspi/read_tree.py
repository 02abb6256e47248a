"""A real AT-SPI client (pyatspi, run with the system's Python): waits for the probe's
``argv[1]`` windows and prints each window's tree as JSON: role, name, description,
states and the labels it is labelled by, as a screen reader reads them."""

import json
import sys
import time

import pyatspi

APP_NAME = "supervision-desktop-atspi-probe"


def walk(node, out):
    try:
        entry = {
            "role": node.getRoleName(),
            "name": node.name or "",
            "description": node.description or "",
            "states": sorted(pyatspi.stateToString(s) for s in node.getState().getStates()),
            "labelled_by": [
                relation.getTarget(i).name
                for relation in node.getRelationSet()
                if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY
                for i in range(relation.getNTargets())
            ],
        }
    except Exception:  # a node gone while read: the next read has it or not
        return
    out.append(entry)
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, out)


def main():
    wanted, deadline = int(sys.argv[1]), time.time() + float(sys.argv[2])
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
        found = [a for a in apps if a is not None and a.name == APP_NAME]
        if found and found[0].childCount >= wanted:
            windows = {}
            for i in range(found[0].childCount):
                window, nodes = found[0].getChildAtIndex(i), []
                walk(window, nodes)
                windows[window.name] = nodes
            print(json.dumps(windows))
            return 0
        time.sleep(0.3)
    print(f"the probe's {wanted} windows did not appear on the accessibility bus",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
