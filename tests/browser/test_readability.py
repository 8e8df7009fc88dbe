"""Readable on a projector: form fields and buttons stand out from their background."""

import pytest

pytestmark = pytest.mark.browser

# WCAG 2.1 contrast of two "rgb(r, g, b)" colours.
CONTRAST = """(pair) => {
    const luminance = (css) => {
        const [r, g, b] = css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [a, b] = pair.map(luminance).sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""


def test_field_borders_have_a_3_to_1_contrast(sandbox, page):
    page.goto(f"{sandbox.console_url}/")

    fields = page.locator("input:not([type=hidden]), select, textarea")
    assert fields.count() > 10
    for i in range(fields.count()):
        field = fields.nth(i)
        border = field.evaluate("(e) => getComputedStyle(e).borderTopColor")
        card = field.evaluate("(e) => getComputedStyle(e.closest('.card')).backgroundColor")
        ratio = page.evaluate(CONTRAST, [border, card])
        assert ratio >= 3, f"{field.get_attribute('id')}: border {border} on {card}: {ratio:.2f}"
