"""Settings: provider accounts of any of the six providers (secrets in the keyring) with Test connection, and the
app's preferences (among them the demo's provider).

Shows a copy of the Settings model and records what the agent changes (profiles saved, renamed or removed,
the active profile, the preferences) in a `SettingsEdit`, which Save replays onto the settings file as it is
then (`settings.store.apply_edit`): a profile the CLI added while the dialog was open stays. Secrets go
straight to `sipsight.settings.credentials` (never into the model or the settings file); a removed profile's
secret is deleted once the removal is saved. Test connection runs in a worker like a lookup, so a slow
provider never freezes the dialog.
"""

from __future__ import annotations

import logging

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.errors import SipsightError
from sipsight.core.knowledge import provider_info
from sipsight.gui.background import BackgroundOp
from sipsight.gui.profile_fields import ACCOUNT_HINTS, PrivateKeyField, provider_label
from sipsight.settings.edits import SettingsEdit
from sipsight.settings.model import PROVIDER_NAMES, Profile, Settings, account_label, looks_like_private_key

log = logging.getLogger("sipsight.gui")

REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "ES", "IT", "NL", "MX", "BR", "IN")
ZONES = (
    "local",
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Berlin",
    "Australia/Sydney",
)
NEW = "New profile…"


class SettingsDialog(QDialog):
    saved = Signal(object)  # Settings
    clear_history_requested = Signal()

    def __init__(self, settings: Settings | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle("SIPSight settings")
        self.setModal(True)
        self.settings = (settings or Settings()).model_copy(deep=True)
        self.edit = SettingsEdit()  # what Save applies to the file as it is then
        self._removed: dict[str, str] = {}  # profile name -> its secret's field, deleted from the keyring on Save
        self._testing = 0
        # It opens beside (or over) the 440 px panel: it fits in that width, and any screen's height.
        self.resize(420, 540)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._accounts_tab(), "Accounts")
        self.tabs.addTab(self._general_tab(), "General")
        layout.addWidget(self.tabs, 1)
        self.error = QLabel(self)
        self.error.setObjectName("TestResult")
        self.error.setProperty("kind", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_profiles()

    # ------------------------------------------------------------------ accounts
    def _accounts_tab(self) -> QWidget:
        from sipsight.settings.credentials import keyring_available

        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.empty_note = QLabel(
            "No account yet: SIPSight looks up demo data until you add your provider account (Twilio, SignalWire, "
            "Telnyx, Plivo, Vonage or Bandwidth).",
            page,
        )
        self.empty_note.setObjectName("Caption")
        self.empty_note.setWordWrap(True)
        layout.addWidget(self.empty_note)
        top = QHBoxLayout()
        self.profile_list = QListWidget(page)
        self.profile_list.setObjectName("ProfileList")
        self.profile_list.setMaximumHeight(96)
        self.profile_list.currentTextChanged.connect(self._profile_selected)
        top.addWidget(self.profile_list, 1)
        side = QVBoxLayout()
        self.add_button = QPushButton("Add", page)
        self.add_button.clicked.connect(self._add_profile)
        self.remove_button = QPushButton("Remove", page)
        self.remove_button.clicked.connect(self._remove_profile)
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        top.addLayout(side)
        layout.addLayout(top)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(page)
        self.name_edit.setPlaceholderText("work")
        self.provider_combo = QComboBox(page)
        for name in PROVIDER_NAMES:
            self.provider_combo.addItem(provider_label(name), name)
        self.provider_combo.currentIndexChanged.connect(self._provider_changed)
        self.account_edit = QLineEdit(page)
        self.api_user_edit = QLineEdit(page)
        self.api_user_edit.setPlaceholderText("the API user with the Voice (and Insights) role")
        self.product_combo = QComboBox(page)
        self.product_combo.addItem("Voice API call records", "voice")
        self.product_combo.addItem("Zentrunk (SIP trunking) call records", "zentrunk")
        self.insights_check = QCheckBox("Read Bandwidth Insights (SIP codes)", page)
        self.insights_check.setChecked(True)
        self.auth_combo = QComboBox(page)
        self.auth_combo.addItem("API key + secret (recommended)", "api_key")
        self.auth_combo.addItem("Auth Token", "auth_token")
        self.auth_combo.currentIndexChanged.connect(self._provider_changed)
        self.key_edit = QLineEdit(page)
        self.key_edit.setPlaceholderText("SK…")
        self.space_edit = QLineEdit(page)
        self.space_edit.setPlaceholderText("example (for example.signalwire.com)")
        self.secret_edit = QLineEdit(page)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setPlaceholderText("kept in the keyring; empty: keep")
        self.key_file = PrivateKeyField(page)  # Vonage: the application's private key, a PEM file
        self.base_url_edit = QLineEdit(page)
        self.base_url_edit.setPlaceholderText("optional: a proxy or a regional origin")
        form.addRow("Name", self.name_edit)
        form.addRow("Provider", self.provider_combo)
        form.addRow("Account", self.account_edit)
        form.addRow("API user", self.api_user_edit)
        form.addRow("Records", self.product_combo)
        form.addRow("Sign in with", self.auth_combo)
        form.addRow("API key", self.key_edit)
        form.addRow("Space", self.space_edit)
        form.addRow("Secret", self.secret_edit)
        form.addRow("Private key", self.key_file)
        form.addRow("", self.insights_check)
        form.addRow("Base URL", self.base_url_edit)
        self._form = form
        layout.addLayout(form)

        self.keyring_note = QLabel(page)
        self.keyring_note.setObjectName("KeyringNote")
        self.keyring_note.setWordWrap(True)
        if not keyring_available():
            from sipsight.settings.credentials import SESSION_ONLY_MESSAGE

            self.keyring_note.setText(
                SESSION_ONLY_MESSAGE + " SIPSight will ask for it again after a restart; it is never written to disk."
            )
        self.keyring_note.setVisible(not keyring_available())
        layout.addWidget(self.keyring_note)

        test_row = QHBoxLayout()
        self.test_button = QPushButton("Test connection", page)
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        self.test_result = QLabel(page)
        self.test_result.setObjectName("TestResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()
        layout.addWidget(self.test_result)
        layout.addStretch(1)
        self._provider_changed()
        return page

    def _fill_profiles(self) -> None:
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self.settings.profiles:
            self.profile_list.addItem(profile.name)
        self.profile_list.blockSignals(False)
        if self.settings.profiles:
            active = self.settings.active_profile or self.settings.profiles[0].name
            items = self.profile_list.findItems(active, Qt.MatchFlag.MatchExactly)
            self.profile_list.setCurrentItem(items[0] if items else self.profile_list.item(0))
        else:
            self._load_profile(None)
        self.remove_button.setEnabled(bool(self.settings.profiles))
        self.empty_note.setVisible(not self.settings.profiles)

    def _profile_selected(self, name: str) -> None:
        self._load_profile(self.settings.profile(name) if name and name != NEW else None)

    def _load_profile(self, profile: Profile | None) -> None:
        self.test_result.hide()
        self.name_edit.setText(profile.name if profile else "")
        self.provider_combo.setCurrentIndex(
            max(self.provider_combo.findData(profile.provider if profile else "twilio"), 0)
        )
        self.account_edit.setText(profile.account_sid if profile else "")
        self.api_user_edit.setText((profile.api_user or "") if profile else "")
        self.product_combo.setCurrentIndex(max(self.product_combo.findData(profile.product if profile else "voice"), 0))
        self.insights_check.setChecked(profile.insights if profile else True)
        self.key_file.clear()
        self.auth_combo.setCurrentIndex(max(self.auth_combo.findData(profile.auth_mode if profile else "api_key"), 0))
        self.key_edit.setText((profile.api_key_sid or "") if profile else "")
        self.space_edit.setText((profile.space or "") if profile else "")
        self.base_url_edit.setText((profile.base_url or "") if profile else "")
        self.secret_edit.clear()
        self._provider_changed()

    def _provider_changed(self, *_: object) -> None:
        """Show the fields the chosen provider's credentials have, named as that provider names them."""
        provider = self.provider_combo.currentData() or "twilio"
        twilio = provider == "twilio"
        account = account_label(provider)
        self._form.setRowVisible(self.account_edit, account is not None)
        label = self._form.labelForField(self.account_edit)
        if isinstance(label, QLabel) and account is not None:
            label.setText(account)
        self.account_edit.setPlaceholderText(ACCOUNT_HINTS.get(provider, ""))
        self._form.setRowVisible(self.auth_combo, twilio)
        self._form.setRowVisible(self.key_edit, twilio and self.auth_combo.currentData() == "api_key")
        self._form.setRowVisible(self.space_edit, provider == "signalwire")
        self._form.setRowVisible(self.api_user_edit, provider == "bandwidth")
        self._form.setRowVisible(self.insights_check, provider == "bandwidth")
        self._form.setRowVisible(self.product_combo, provider == "plivo")
        self._form.setRowVisible(self.key_file, provider == "vonage")
        self._form.setRowVisible(self.secret_edit, provider != "vonage")
        secret_label = self._form.labelForField(self.secret_edit)
        if isinstance(secret_label, QLabel):
            if twilio:  # Twilio's secret follows the sign-in choice
                secret = "API key secret" if self.auth_combo.currentData() == "api_key" else "Auth Token"
            else:
                secret = provider_info(provider).credentials.secret
            secret_label.setText(secret)

    def _add_profile(self) -> None:
        self.profile_list.blockSignals(True)
        self.profile_list.addItem(NEW)
        self.profile_list.setCurrentRow(self.profile_list.count() - 1)
        self.profile_list.blockSignals(False)
        self._load_profile(None)
        self.name_edit.setFocus()

    def _remove_profile(self) -> None:
        item = self.profile_list.currentItem()
        if item is None:
            return
        name = item.text()
        profile = self.settings.profile(name) if name != NEW else None
        if profile is not None:
            self.edit.remove_profile(name)
            self._removed[name] = profile.secret_field
            self.settings = self.settings.without_profile(name)
        self._fill_profiles()

    def profile_from_form(self) -> Profile:
        """The edited profile as a validated model; raises SipsightError with pydantic's first complaint."""
        data: dict[str, object] = {
            "name": self.name_edit.text().strip(),
            "provider": self.provider_combo.currentData(),
            "account_sid": self.account_edit.text().strip(),
            "auth_mode": self.auth_combo.currentData(),
            "api_key_sid": self.key_edit.text().strip() or None,
            "space": self.space_edit.text().strip() or None,
            "base_url": self.base_url_edit.text().strip() or None,
            "api_user": self.api_user_edit.text().strip() or None,
            "product": self.product_combo.currentData(),
            "insights": self.insights_check.isChecked(),
        }
        try:
            return Profile.model_validate(data)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or "profile"
            raise SipsightError(
                f"The profile is not complete: {where}: {first.get('msg')}.", "Fill in the account and key fields."
            ) from None

    def _commit_profile(self) -> Profile:
        """Put the form's profile into the working copy and its secret into the keyring; returns the profile."""
        from sipsight.settings.credentials import set_secret

        profile = self.profile_from_form()
        current = self.profile_list.currentItem()
        old_name = current.text() if current is not None else None
        replaces = old_name if old_name and old_name != NEW and self.settings.profile(old_name) is not None else None
        if replaces is not None and replaces != profile.name:
            self.settings = self.settings.without_profile(replaces)
        self.settings = self.settings.with_profile(profile)
        self.edit.save_profile(profile, replaces=replaces)
        self._removed.pop(profile.name, None)
        secret = self.key_file.text() if profile.provider == "vonage" else self.secret_edit.text()
        if secret and profile.provider == "vonage" and not looks_like_private_key(secret):
            raise SipsightError(
                "That is not a private key.",
                "Paste the application's private.key (-----BEGIN PRIVATE KEY----- ...), or choose the file.",
            )
        if secret:
            notice = set_secret(profile.name, profile.secret_field, secret)
            self.keyring_note.setVisible(bool(notice))
            if notice:
                self.keyring_note.setText(notice + " It is never written to disk.")
        self._show_in_list(profile.name)
        return profile

    def _show_in_list(self, name: str) -> None:
        """List the committed profile and select it, without reloading the form the agent is editing."""
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for p in self.settings.profiles:
            self.profile_list.addItem(p.name)
        items = self.profile_list.findItems(name, Qt.MatchFlag.MatchExactly)
        if items:
            self.profile_list.setCurrentItem(items[0])
        self.profile_list.blockSignals(False)
        self.remove_button.setEnabled(True)
        self.empty_note.hide()

    def test_connection(self) -> None:
        try:
            profile = self._commit_profile()
        except SipsightError as err:
            self._show_test("error", err.one_line())
            return
        self._testing += 1
        ticket = self._testing
        self.test_button.setEnabled(False)
        self._show_test("busy", "Testing the connection…")

        def work() -> str:
            from sipsight.providers.factory import provider_from_profile

            provider = provider_from_profile(profile)
            try:
                return provider.check_connection()
            finally:
                provider.close()

        def ok(summary: str) -> None:
            if ticket == self._testing:
                self.test_button.setEnabled(True)
                self._show_test("ok", f"✓ {summary}")

        def failed(err: BaseException) -> None:
            if ticket != self._testing:
                return
            self.test_button.setEnabled(True)
            if isinstance(err, SipsightError):
                self._show_test("error", f"✗ {err.message}\n{err.hint}".strip())
            else:
                from sipsight.core.crash import record_crash, where_saved

                self._show_test(
                    "error", f"✗ Unexpected error ({type(err).__name__}); {where_saved(record_crash(err))}."
                )

        BackgroundOp(op=work, success=ok).failure(failed).run_in_background()

    def _show_test(self, kind: str, text: str) -> None:
        self.test_result.setProperty("kind", kind)
        self.test_result.setText(text)
        self.test_result.style().unpolish(self.test_result)
        self.test_result.style().polish(self.test_result)
        self.test_result.show()

    # ------------------------------------------------------------------ general
    def _general_tab(self) -> QWidget:
        s = self.settings
        page = QWidget(self)
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.region_combo = QComboBox(page)
        self.region_combo.setEditable(True)
        self.region_combo.addItems(REGIONS)
        self.region_combo.setCurrentText(s.default_region)
        self.region_combo.setToolTip("Country assumed for numbers typed without +country code")
        self.tz_combo = QComboBox(page)
        self.tz_combo.setEditable(True)
        self.tz_combo.addItems(ZONES)
        self.tz_combo.setCurrentText(s.timezone)
        self.tz_combo.setToolTip("Time zone for call times ('local' follows this computer)")
        self.history_days = QSpinBox(page)
        self.history_days.setRange(1, 3650)
        self.history_days.setSuffix(" days")
        self.history_days.setValue(s.history_days)
        self.clipboard_check = QCheckBox("Offer to look up what I copy", page)
        self.clipboard_check.setToolTip("When you copy a number or a conversation in another application")
        self.clipboard_check.setChecked(s.clipboard_watch)
        self.on_top_check = QCheckBox("Keep the window on top", page)
        self.on_top_check.setChecked(s.always_on_top)
        self.presenter_check = QCheckBox("Presenter mode (hide phone numbers)", page)
        self.presenter_check.setChecked(s.presenter_mode)
        self.theme_combo = QComboBox(page)
        for key, text in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme_combo.addItem(text, key)
        self.theme_combo.setCurrentIndex(max(self.theme_combo.findData(s.theme), 0))
        self.agent_name_edit = QLineEdit(s.agent_name or "", page)
        self.agent_name_edit.setPlaceholderText("e.g. Alex (empty: the support team)")
        self.agent_name_edit.setToolTip("Signs the customer reply: the sign-off of your team's reply templates")
        self.company_name_edit = QLineEdit(s.company_name or "", page)
        self.company_name_edit.setPlaceholderText("e.g. Acme Dialer")
        self.company_name_edit.setToolTip("Your company's name, in the reply's sign-off")
        form.addRow("Your name", self.agent_name_edit)
        form.addRow("Company", self.company_name_edit)
        form.addRow("Default region", self.region_combo)
        form.addRow("Time zone", self.tz_combo)
        history_row = QHBoxLayout()
        history_row.addWidget(self.history_days, 1)
        self.clear_history_button = QPushButton("Clear history now", page)
        self.clear_history_button.clicked.connect(self._clear_history)
        history_row.addWidget(self.clear_history_button)
        form.addRow("Keep history", history_row)
        form.addRow("Appearance", self.theme_combo)
        self.demo_provider_combo = QComboBox(page)
        self.demo_provider_combo.addItem("The scenario's own", None)
        for name in PROVIDER_NAMES:
            self.demo_provider_combo.addItem(provider_label(name), name)
        self.demo_provider_combo.setCurrentIndex(max(self.demo_provider_combo.findData(s.demo_provider), 0))
        self.demo_provider_combo.setToolTip(
            "The demo serves this provider's API, so you see what its data can and cannot show"
        )
        form.addRow("Demo provider", self.demo_provider_combo)
        form.addRow("", self.clipboard_check)
        form.addRow("", self.on_top_check)
        form.addRow("", self.presenter_check)
        return page

    def _clear_history(self) -> None:
        self.clear_history_requested.emit()
        self.clear_history_button.setText("History cleared")
        self.clear_history_button.setEnabled(False)

    # ------------------------------------------------------------------ save
    def save(self) -> None:
        from sipsight.settings.store import apply_edit

        self.error.hide()
        try:
            if self.name_edit.text().strip() or self.account_edit.text().strip():
                self._commit_profile()
            self.edit.set_preferences(
                default_region=self.region_combo.currentText().strip() or "US",
                timezone=self.tz_combo.currentText().strip() or "local",
                history_days=self.history_days.value(),
                clipboard_watch=self.clipboard_check.isChecked(),
                always_on_top=self.on_top_check.isChecked(),
                presenter_mode=self.presenter_check.isChecked(),
                theme=self.theme_combo.currentData(),
                agent_name=self.agent_name_edit.text().strip() or None,
                company_name=self.company_name_edit.text().strip() or None,
                demo_provider=self.demo_provider_combo.currentData(),
            )
            current = self.profile_list.currentItem()
            if current is not None and current.text() != NEW:
                self.edit.set_active_profile(current.text())
            self.edit.apply(self.settings.model_copy(deep=True))  # the dialog's own view must hold before saving
        except SipsightError as err:
            self._show_error(err.one_line())
            return
        except ValidationError as err:
            first = err.errors()[0]
            self._show_error(f"{'.'.join(str(p) for p in first.get('loc', ()))}: {first.get('msg')}")
            return
        except ValueError as err:
            self._show_error(str(err))
            return
        try:
            settings = apply_edit(self.edit)  # on failure the edit is kept: Save again replays all of it
        except (ValueError, OSError) as err:  # a full disk, a locked file, or a file changed beyond joining
            self._show_error(f"The settings could not be saved: {err}")
            return
        self._forget_removed_secrets(settings)
        self.settings = settings
        self.saved.emit(settings)
        self.accept()

    def _forget_removed_secrets(self, settings: Settings) -> None:
        from sipsight.settings.credentials import delete_secret

        for name, field in self._removed.items():
            if settings.profile(name) is None:
                delete_secret(name, field)
        self._removed.clear()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
