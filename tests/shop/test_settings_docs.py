import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _variables_read_by_settings() -> set[str]:
    names = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', path.read_text()))
    return names


def test_every_setting_is_documented_in_env_example_and_readme():
    documented_example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    names = _variables_read_by_settings()

    assert {"DATABASE_URL", "SECRET_KEY", "CART_MAX_LINES"} <= names
    missing_example = sorted(
        n for n in names if not re.search(rf"^{n}=", documented_example, re.M)
    )
    missing_readme = sorted(n for n in names if f"`{n}`" not in readme)
    assert missing_example == []
    assert missing_readme == []
