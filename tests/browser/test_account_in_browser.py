"""The account page in a real browser: the device's time zone is offered, and the page passes axe."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from studyapp.database import connect

from .conftest import AccessibilityAudit
from .test_review_in_browser import sign_up


def stored_zone(tmp_path: Path, name: str) -> str:
    with connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        return db.execute("SELECT timezone FROM users WHERE name = ?", (name,)).fetchone()[0]


def test_sign_up_takes_the_device_zone_and_the_account_page_offers_a_new_one(
    browser, live_server: str, tmp_path: Path
):
    home = browser.new_context(timezone_id="Asia/Seoul")
    page = home.new_page()
    sign_up(page, live_server, "traveller")
    assert stored_zone(tmp_path, "traveller") == "Asia/Seoul"
    page.get_by_role("link", name="traveller").click()
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value("Asia/Seoul")
    expect(page.locator("#device-zone")).to_be_hidden()  # the device agrees: nothing to offer
    home.close()

    away = browser.new_context(timezone_id="Europe/Paris")
    page = away.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/login")
    page.get_by_label("Name").fill("traveller")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/account")
    offer = page.locator("#device-zone")
    expect(offer).to_contain_text("This device is set to Europe/Paris.")
    offer.get_by_role("button", name="Use it").click()
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value("Europe/Paris")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Time zone set to Europe/Paris.")).to_be_visible()
    assert stored_zone(tmp_path, "traveller") == "Europe/Paris"
    away.close()
    assert errors == []


def test_a_device_on_an_old_zone_name_is_still_offered(browser, live_server: str, tmp_path: Path):
    """The menu lists one name per place; a browser reporting an alias still gets its offer."""
    context = browser.new_context(timezone_id="UTC")
    page = context.new_page()
    sign_up(page, live_server, "kolkata")
    context.close()
    context = browser.new_context(timezone_id="Asia/Calcutta")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Name").fill("kolkata")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/account")
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert zone in ("Asia/Calcutta", "Asia/Kolkata")
    offer = page.locator("#device-zone")
    expect(offer).to_contain_text(f"This device is set to {zone}.")
    offer.get_by_role("button", name="Use it").click()
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text(f"Time zone set to {zone}.")).to_be_visible()
    assert stored_zone(tmp_path, "kolkata") == zone
    context.close()


def test_account_page_fits_a_phone_and_passes_axe_in_both_themes(
    browser, live_server: str, theme: str
):
    audit = AccessibilityAudit(browser, theme, viewport={"width": 375, "height": 800})
    page = audit.page
    sign_up(page, live_server, f"acct-{theme}")
    page.goto(f"{live_server}/account")
    audit.check("account page")
    page.get_by_role("button", name="Change password").click()  # errors on screen too
    expect(page.get_by_text("Enter your current password.").first).to_be_visible()
    audit.check("account page with errors")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    audit.close()
    assert overflow <= 0
    assert audit.found == {}
    # The form with errors comes back as 400, which the console reports; nothing else may.
    assert [e for e in audit.errors if "status of 400" not in e] == []


def test_a_wrong_current_password_on_a_phone_opens_at_its_message(browser, live_server: str):
    """The password form is a screen down on a phone: sent back with a mistake, the page opens
    at the form with its message in sight; a saved form opens at the top, at its message."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    sign_up(page, live_server, "pocket")
    page.goto(f"{live_server}/account")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("battery staple")
    page.get_by_label("Repeat the new password").fill("battery staple")
    page.get_by_role("button", name="Change password").click()
    message = page.get_by_text("That is not your current password.")
    expect(message).to_be_in_viewport(ratio=1)
    expect(page.get_by_label("Current password")).to_be_in_viewport(ratio=1)
    page.get_by_label("Current password").fill("correct horse")
    page.get_by_label("New password", exact=True).fill("battery staple")
    page.get_by_label("Repeat the new password").fill("battery staple")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_in_viewport(ratio=1)
    page.select_option("#tz-timezone", "Asia/Seoul")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Time zone set to Asia/Seoul.")).to_be_in_viewport(ratio=1)
    context.close()
