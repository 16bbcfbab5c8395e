"""Arrows point down: federation (and config) import no domain app, and federation's modules import
each other without a circle. Read from the source with ast, so an import inside a function counts too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = {"goals", "internalcontrol"}


def source_files(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            yield relative, path


def module_name(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(relative: str, path: Path):
    """Every module named by an import in the file, relative imports resolved; for ``from x import y``
    both ``x`` and ``x.y`` (y may be a module)."""
    package = module_name(relative) if relative.endswith("__init__.py") else module_name(relative).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def test_federation_and_config_import_no_domain_app():
    offending = [
        f"{relative}: {name}"
        for package in ("federation", "config")
        for relative, path in source_files(package)
        for name in imported_names(relative, path)
        if name.split(".")[0] in DOMAIN_APPS
    ]
    assert offending == []


def federation_import_graph():
    modules = {module_name(relative): (relative, path) for relative, path in source_files("federation")}
    return {
        module: {name for name in imported_names(relative, path) if name in modules and name != module}
        for module, (relative, path) in modules.items()
    }


def test_federation_models_and_selectors_do_not_import_each_other():
    graph = federation_import_graph()
    assert "federation.selectors" not in graph["federation.models"]
    assert "federation.models" in graph["federation.selectors"]


def test_federation_has_no_import_circle():
    graph = federation_import_graph()
    circles, done = [], set()

    def visit(module, path):
        if module in path:
            circles.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert circles == []
