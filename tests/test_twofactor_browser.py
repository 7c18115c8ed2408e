"""A publisher sets up two-factor login in a real browser at the first login, then logs in
again with a recovery code, as the README's staff section describes."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from .conftest import PUBLISHER, make_user, part_violations, save_screenshot

pytestmark = pytest.mark.browser
PASSWORD = "ett-lösenord-bara-för-test"


def log_in_with_password(page, next_url: str) -> None:
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", "pia")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_a_publisher_sets_up_the_app_then_logs_in_with_a_recovery_code(page):
    make_user("pia", groups=(PUBLISHER,))
    log_in_with_password(page, "/admin/evaluations/evaluation/")
    page.wait_for_url("**/admin/tvastegs/aktivera/")
    assert page.locator("h1").inner_text() == "Aktivera tvåstegsverifiering"
    qr = page.locator(".twofactor-qr svg[role=img]")
    assert qr.bounding_box()["width"] == 200
    assert part_violations(page, "#content-main") == []
    save_screenshot(page, "twofactor-enrol")

    key = page.locator("#twofactor-key").inner_text().replace(" ", "")
    page.fill("#id_code", f"{TOTP(b32decode(key)).token():06d}")
    page.click("input[type=submit]")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert part_violations(page, "#content-main") == []
    page.click("text=Jag har sparat koderna – fortsätt")
    page.wait_for_url("**/admin/evaluations/evaluation/")

    page.click("#logout-form button")
    log_in_with_password(page, "/admin/")
    page.wait_for_url("**/admin/tvastegs/kod/")
    assert part_violations(page, "#content-main") == []
    page.fill("#id_code", codes[0])
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert "Du har 9 reservkoder kvar" in page.locator(".messagelist").inner_text()
    page.console_errors.assert_none()
