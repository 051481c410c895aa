#!/usr/bin/env python3
"""Fails on SQL built from strings (docs/RELIABILITY.md, "Injection").

medvault's rule: every SQL statement is a compile-time string literal, and every value
reaches SQLite as a bound parameter. This lint reads the C++ under src/ (comments
stripped, string literals kept whole) and reports:

  1. SQL entry points given something other than string literals as their SQL text:
     sqlite3_prepare*, sqlite3_exec and libpq's PQexec/PQprepare anywhere, and the store's wrappers
     (Connection::Prepare, Exec, Run) in files that use SQLite;
  2. SQL text composed at run time: a literal that starts like an SQL statement next to
     `+`, `+=` or `<<`, or given to std::format / fmt::format / absl::StrCat /
     .append().

A few places hand SQL through a name instead of a literal. They are listed in ALLOWED
below, each with why it is safe, and the lint checks that they still are: a helper's
callers must pass literals, a variable's definition must be exactly the reviewed one.
An entry that no longer matches anything fails too, so the list cannot rot.

usage: sql_lint.py SRC_DIR                  lint SRC_DIR (exit 1 on findings)
       sql_lint.py --self-test SAMPLE       the findings in SAMPLE must be exactly its
                                            lines marked `// BAD` (exit 1 otherwise)
"""

import os
import re
import sys

SQL_START = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|WITH|BEGIN|COMMIT|"
    r"ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ATTACH|DETACH|ANALYZE|REINDEX)\s"
)  # upper case, as medvault writes SQL; "with that id" in a message is not SQL
# sqlite3 and libpq functions and the index of their SQL argument.
SQLITE_FUNCTIONS = {
    "PQexec": 1,
    "PQexecParams": 1,
    "PQprepare": 2,
    "PQsendQuery": 1,
    "PQsendQueryParams": 1,
    "PQsendPrepare": 2,
    "sqlite3_prepare": 1,
    "sqlite3_prepare_v2": 1,
    "sqlite3_prepare_v3": 1,
    "sqlite3_prepare16": 1,
    "sqlite3_prepare16_v2": 1,
    "sqlite3_prepare16_v3": 1,
    "sqlite3_exec": 1,
}
# store/sqlite/connection.h: Connection::Prepare(sql), Exec(sql), Run(sql).
WRAPPER_METHODS = {"Prepare", "Exec", "Run"}
FORMATTERS = {"format", "StrCat", "append", "sprintf", "snprintf"}

# The reviewed exceptions. Paths are relative to src/.
ALLOWED = [
    # The wrappers themselves (store/sqlite/connection.cc) hand their `sql` to SQLite;
    # every call of them is checked by rule 1 (and Prepare caches statements by the
    # address of the literal, which a run-time string would not keep alive).
    {"kind": "helper", "file": "store/sqlite/connection.cc", "function": "Exec", "param": "sql",
     "arg": 0, "why": "Connection::Exec; its callers are checked"},
    {"kind": "helper", "file": "store/sqlite/connection.cc", "function": "Run", "param": "sql",
     "arg": 0, "why": "Connection::Run; its callers are checked"},
    {"kind": "helper", "file": "store/sqlite/connection.cc", "function": "Prepare",
     "param": "sql", "arg": 0, "why": "Connection::Prepare; its callers are checked"},
    # Helpers that take the SQL of a statement as `const char* sql` and prepare it: safe
    # as long as every caller passes a literal, which the lint checks.
    {"kind": "helper", "file": "store/sqlite/sqlite_store.cc", "function": "QueryInt",
     "param": "sql", "arg": 1,
     "why": "runs one integer-valued statement at start-up; callers pass literals"},
    {"kind": "helper", "file": "store/sqlite/erasure.cc", "function": "Count", "param": "sql",
     "arg": 1, "why": "counts a patient's rows in a table; callers pass literals"},
    {"kind": "helper", "file": "store/sqlite/erasure.cc", "function": "Change", "param": "sql",
     "arg": 1, "why": "deletes or blanks a patient's rows; callers pass literals"},
    # The PostgreSQL engine's wrappers and helpers, as SQLite's above.
    {"kind": "helper", "file": "store/postgres/connection.cc", "function": "Exec",
     "param": "sql", "arg": 0, "why": "Connection::Exec; its callers are checked"},
    {"kind": "helper", "file": "store/postgres/connection.cc", "function": "PreparedName",
     "param": "sql_", "arg": 0,
     "why": "Statement::sql_ is only ever the literal given to Connection::Prepare (checked)"},
    {"kind": "helper", "file": "store/postgres/connection.cc", "function": "Prepared",
     "param": "sql", "arg": 0,
     "why": "prepares the literal a Statement was made from (Connection::Prepare, whose "
            "callers are checked, keeps its address)"},
    {"kind": "helper", "file": "store/postgres/postgres_store.cc", "function": "QueryInt",
     "param": "sql", "arg": 1, "why": "one integer-valued statement; callers pass literals"},
    {"kind": "helper", "file": "store/postgres/erasure.cc", "function": "Count", "param": "sql",
     "arg": 1, "why": "counts a patient's rows in a table; callers pass literals"},
    {"kind": "helper", "file": "store/postgres/erasure.cc", "function": "Change",
     "param": "sql", "arg": 1, "why": "deletes or blanks a patient's rows; callers pass literals"},
    {"kind": "variable", "file": "store/postgres/postgres_store.cc", "name": "sql",
     "definition": r"std::string sql(m.sql);",
     "why": "a migration's SQL: Migration::sql is a string_view into the migrations table "
            "(store/postgres/schema.cc), compile-time constants"},
    # Variables whose definition is checked to be exactly the reviewed line.
    {"kind": "variable", "file": "store/sqlite/sqlite_store.cc", "name": "sql",
     "definition": r"std::string sql(m.sql);",
     "why": "a migration's SQL: Migration::sql is a string_view into the migrations table "
            "(store/sqlite/schema.cc), compile-time constants"},
    {"kind": "variable", "file": "store/sqlite/sqlite_store.cc", "name": "cache",
     "definition": r'std::string cache = "PRAGMA cache_size = -" + '
                   r"std::to_string(options_.reader_cache_kib);",
     "why": "a PRAGMA with an integer (size_t from the configuration), which "
            "std::to_string cannot turn into anything but digits; PRAGMAs take no "
            "bound parameters"},
]


RAW_STRING = re.compile(r'(?:u8|u|U|L)?R"([^()\\\s]{0,16})\(')
STRING_START = re.compile(r'(?:u8|u|U|L)?"')
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
NUMBER = re.compile(r"\d[\w.']*")
OPERATOR = re.compile(r"->|::|<<=|<<|\+=|\+\+|&&|\|\||[-+*/%<>=!&|^~?:;,.(){}\[\]]")


def tokenize(text):
    """C++ tokens (kind, text, line): 'str' (a literal, quotes included), 'id', 'num',
    'op'. Comments and preprocessor lines are dropped; line numbers are kept."""
    tokens, i, line, n = [], 0, 1, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if at_line_start and c == "#":  # a preprocessor line, with its continuations
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    line += 1
                    i += 1
                i += 1
            continue
        at_line_start = False
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
            continue
        m = RAW_STRING.match(text, i)
        if m:  # a raw string literal
            close = ")" + m.group(1) + '"'
            end = text.find(close, m.end())
            end = n if end < 0 else end + len(close)
            tokens.append(("str", text[i:end], line))
            line += text.count("\n", i, end)
            i = end
            continue
        m = STRING_START.match(text, i)
        if m or c == "'":
            quote = '"' if m else "'"
            j = m.end() if m else i + 1
            while j < n and text[j] != quote:
                j += 2 if text[j] == "\\" else 1
            tokens.append(("str" if quote == '"' else "num", text[i : j + 1], line))
            i = j + 1
            continue
        m = IDENTIFIER.match(text, i)
        if m:
            tokens.append(("id", m.group(0), line))
            i = m.end()
            continue
        m = NUMBER.match(text, i)
        if m:
            tokens.append(("num", m.group(0), line))
            i = m.end()
            continue
        m = OPERATOR.match(text, i)
        op = m.group(0) if m else c
        tokens.append(("op", op, line))
        i += len(op)
    return tokens


def literal_text(token_text):
    """The characters of a string literal token, roughly (escapes left as written)."""
    m = re.match(r'(?:u8|u|U|L)?R"([^(]*)\((.*)\)\1"$', token_text, re.S)
    if m:
        return m.group(2)
    return token_text[token_text.index('"') + 1 : -1]


def call_arguments(tokens, open_index):
    """The argument token lists of the call whose '(' is tokens[open_index], and the
    index of its ')'."""
    args, current, depth = [], [], 0
    for k in range(open_index + 1, len(tokens)):
        kind, text, _ = tokens[k]
        if kind == "op" and text in "([{":
            depth += 1
        elif kind == "op" and text in ")]}":
            if depth == 0:
                if current or args:
                    args.append(current)
                return args, k
            depth -= 1
        elif kind == "op" and text == "," and depth == 0:
            args.append(current)
            current = []
            continue
        current.append(tokens[k])
    return args, len(tokens)


def is_definition(tokens, close_index):
    """True when the parameter list closed at close_index opens a function body."""
    k = close_index + 1
    while k < len(tokens) and tokens[k][1] in ("const", "noexcept", "override", "final"):
        k += 1
    return k < len(tokens) and tokens[k][1] == "{"


# Macros whose expansion is nothing but string literals (and their own parameters),
# e.g. store/sqlite/rows.h's column lists: constant fragments, as good as a literal.
LITERAL_MACROS = {}


def collect_literal_macros(texts):
    defines = []
    for text in texts:
        joined = re.sub(r"\\\n", " ", text)
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)(\(([^)]*)\))?[ \t]+(.*)$", joined, re.M):
            params = [p.strip() for p in m.group(3).split(",")] if m.group(2) else None
            defines.append((m.group(1), params, tokenize(m.group(4))))
    changed = True
    while changed:  # a macro of literal macros is one too
        changed = False
        for name, params, body in defines:
            if name in LITERAL_MACROS or not body:
                continue
            if is_literal(body, set(params or [])):
                LITERAL_MACROS[name] = params is not None
                changed = True


def is_literal(arg, params=frozenset()):
    """String literals, parameters of the macro being checked, and literal macros
    (called with literal arguments when they take some)."""
    if not arg:
        return False
    k = 0
    while k < len(arg):
        kind, text, _ = arg[k]
        if kind == "str" or (kind == "id" and text in params):
            k += 1
        elif kind == "id" and text in LITERAL_MACROS:
            k += 1
            if LITERAL_MACROS[text]:  # function-like: its arguments must be literal too
                if k >= len(arg) or arg[k][1] != "(":
                    return False
                sub, close = call_arguments(arg, k)
                if not all(is_literal(a, params) for a in sub):
                    return False
                k = close + 1
        else:
            return False
    return True


def named(arg):
    """`name` or `name.c_str()` / `name.data()`: the name, else None."""
    texts = [text for _, text, _ in arg]
    if len(texts) == 1 and arg[0][0] == "id":
        return texts[0]
    if len(texts) == 5 and arg[0][0] == "id" and texts[1] == "." and texts[2] in (
            "c_str", "data") and texts[3:] == ["(", ")"]:
        return texts[0]
    return None


def uses_sqlite(path, text):
    """Files that use an SQL engine (SQLite or PostgreSQL), where Prepare, Exec and Run
    are the store's wrappers."""
    unix_path = path.replace(os.sep, "/")
    return "/store/sqlite/" in unix_path or "/store/postgres/" in unix_path or re.search(
        r'#include\s*[<"](sqlite3\.h|libpq-fe\.h|store/(sqlite|postgres)/connection\.h)[>"]',
        text)


CONTROL = {"if", "for", "while", "switch", "catch", "return", "sizeof", "decltype"}


def enclosing_functions(tokens):
    """For each token, the name of the function whose body holds it (None outside
    functions; lambdas and blocks inherit their function's name)."""
    names, stack, current = [], [], None
    for k, (kind, text, _) in enumerate(tokens):
        if text == "{":
            name = current
            j = k - 1
            while j >= 0 and tokens[j][1] in ("const", "noexcept", "override", "final"):
                j -= 1
            if j >= 0 and tokens[j][1] == ")":
                paren = 0
                while j >= 0:  # back to the '(' that opens the parameter list
                    if tokens[j][1] == ")":
                        paren += 1
                    elif tokens[j][1] == "(":
                        paren -= 1
                        if paren == 0:
                            break
                    j -= 1
                if j > 0 and tokens[j - 1][0] == "id" and tokens[j - 1][1] not in CONTROL:
                    name = tokens[j - 1][1]
            stack.append(current)
            current = name
        elif text == "}" and stack:
            current = stack.pop()
        names.append(current)
    return names


def lint_file(path, rel, text, allowed, used):
    findings = []
    tokens = tokenize(text)
    functions = enclosing_functions(tokens)
    sqlite_file = uses_sqlite(path, text)
    helpers = {(a["function"], a["param"]): a for a in allowed
               if a["kind"] == "helper" and a["file"] == rel}
    variables = {a["name"]: a for a in allowed if a["kind"] == "variable" and a["file"] == rel}

    def report(line, message):
        findings.append((rel, line, message))

    for k, (kind, text_k, line) in enumerate(tokens):
        if kind != "id" or k + 1 >= len(tokens) or tokens[k + 1][1] != "(":
            continue
        sql_arg_index = None
        if text_k in SQLITE_FUNCTIONS:
            sql_arg_index = SQLITE_FUNCTIONS[text_k]
        elif (sqlite_file and text_k in WRAPPER_METHODS and k > 0
              and tokens[k - 1][1] in (".", "->")):
            sql_arg_index = 0
        if sql_arg_index is None:
            continue
        args, close = call_arguments(tokens, k + 1)
        if is_definition(tokens, close):
            continue
        if len(args) <= sql_arg_index:
            continue  # Run() of a statement: no SQL text
        arg = args[sql_arg_index]
        if is_literal(arg):
            continue
        name = named(arg)
        if name is not None:
            function = functions[k]
            if (function, name) in helpers:
                used.add(id(helpers[(function, name)]))
                continue
            if name in variables:
                used.add(id(variables[name]))
                continue
        report(line, f"{text_k}() is given SQL that is not a string literal: "
                     f"{' '.join(t for _, t, _ in arg)[:80]}")

    # Callers of allowed helpers must pass literals.
    for (function, _), entry in helpers.items():
        for k, (kind, text_k, line) in enumerate(tokens):
            if kind != "id" or text_k != function or k + 1 >= len(tokens):
                continue
            if tokens[k + 1][1] != "(":
                continue
            args, close = call_arguments(tokens, k + 1)
            if is_definition(tokens, close):
                continue
            if len(args) <= entry["arg"] or is_literal(args[entry["arg"]]):
                continue
            # Passed on from another reviewed helper's own parameter (Run to Prepare).
            passed_on = (functions[k], named(args[entry["arg"]]))
            if passed_on in helpers:
                used.add(id(helpers[passed_on]))
            else:
                report(line, f"{function}() prepares its argument {entry['arg'] + 1} as SQL: "
                             "pass a string literal")

    # Variables: the definition must be the reviewed one.
    for name, entry in variables.items():
        if entry["definition"] not in re.sub(r"\s+", " ", text):
            report(1, f"the definition of `{name}` is not the reviewed "
                      f"`{entry['definition']}`: review it and update ALLOWED in {__file__}")

    # SQL text composed at run time.
    for k, (kind, text_k, line) in enumerate(tokens):
        if kind != "str" or (k > 0 and tokens[k - 1][0] == "str"):
            continue  # only the first literal of a run of adjacent ones
        end = k
        while end + 1 < len(tokens) and tokens[end + 1][0] == "str":
            end += 1
        sql = "".join(literal_text(t) for _, t, _ in tokens[k : end + 1])
        if not SQL_START.match(sql):
            continue
        before = tokens[k - 1][1] if k > 0 else ""
        after = tokens[end + 1][1] if end + 1 < len(tokens) else ""
        call = tokens[k - 2][1] if k > 1 and before == "(" else ""
        composed = before in ("+", "+=", "<<") or after in ("+", "<<") or call in FORMATTERS
        if composed:
            statement_start = " ".join(re.sub(r"\s+", " ", sql).split()[:3])
            if any(a["kind"] == "variable" and a["file"] == rel and
                   literal_text(text_k) in a["definition"] for a in allowed):
                continue
            report(line, f"SQL text composed at run time (\"{statement_start} …\"): "
                         "use a literal and bind the values")
    return findings


def sources(src):
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".cc", ".h", ".cpp", ".hpp")):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                yield path, os.path.relpath(path, src).replace(os.sep, "/"), f.read()


def lint_tree(src):
    findings, used = [], set()
    files = list(sources(src))
    collect_literal_macros(text for _, _, text in files)
    for path, rel, text in files:
        findings += lint_file(path, rel, text, ALLOWED, used)
    for entry in ALLOWED:
        if id(entry) not in used:
            findings.append((entry["file"], 0, f"ALLOWED entry no longer used: {entry}"))
    return findings


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--self-test":
        sample = sys.argv[2]
        with open(sample, encoding="utf-8") as f:
            text = f.read()
        collect_literal_macros([text])
        found = {line for _, line, _ in lint_file(sample, os.path.basename(sample), text, [],
                                                 set())}
        marked = {i + 1 for i, l in enumerate(text.splitlines()) if l.rstrip().endswith("// BAD")}
        for line in sorted(found - marked):
            print(f"{sample}:{line}: flagged, but not marked BAD")
        for line in sorted(marked - found):
            print(f"{sample}:{line}: marked BAD, but the lint missed it")
        print(f"sql_lint self-test: {len(found & marked)} of {len(marked)} bad lines caught,"
              f" {len(found - marked)} false alarms")
        return 0 if found == marked else 1
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    findings = lint_tree(sys.argv[1])
    for rel, line, message in findings:
        print(f"src/{rel}:{line}: {message}")
    print(f"sql_lint: {len(findings)} finding(s); {len(ALLOWED)} reviewed exceptions")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
