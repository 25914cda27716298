"""rule-engine's parser tables ship with triage_rules (triage_rules/engine.py): they must match the
installed grammar, and a fresh process must read them instead of building them."""

from __future__ import annotations

import ast
import subprocess
import sys

from triage_rules import engine


def test_shipped_tables_match_the_installed_grammar():
    tree = ast.parse(engine.TABLES.read_text())
    shipped = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_lr_signature"
    )
    assert shipped == engine.grammar_signature(), "rule-engine changed: run `python -m triage_rules.engine`"


def test_a_fresh_process_reads_the_tables_instead_of_building_them():
    probe = (
        "import rule_engine._vendor.ply.yacc as yacc\n"
        "built = []\n"
        "original = yacc.LRGeneratedTable\n"
        "class Spy(original):\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        built.append(1)\n"
        "        super().__init__(*args, **kwargs)\n"
        "yacc.LRGeneratedTable = Spy\n"
        "import sys\n"
        "for name in [n for n in sys.modules if n.startswith('rule_engine') and 'ply' not in n]:\n"
        "    del sys.modules[name]\n"
        "import triage_rules.engine as engine\n"
        "assert engine.rule_engine.Rule('age > 75').matches({'age': 80})\n"
        "print(len(built))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0", result.stderr
