"""The credential fields of a profile, per provider, as the settings dialog shows them (their names are each
provider's catalog entry, `credentials`): what the account field looks like, and the Vonage private key, chosen from
its file or pasted, never shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from sipsight.core.knowledge import provider_info
from sipsight.settings.model import looks_like_private_key

MAX_KEY_BYTES = 64_000  # a PEM private key is a few kB; anything far larger is not one


# what the account field looks like, as its placeholder (its name is the catalog's `credentials.account`)
ACCOUNT_HINTS = {
    "twilio": "AC…",
    "signalwire": "the Project ID (a UUID)",
    "plivo": "MA… or SA… (Auth ID)",
    "vonage": "the application's ID (a UUID)",
    "bandwidth": "the account ID (digits)",
}


def provider_label(name: str) -> str:
    """The provider's name as its catalog entry spells it (resources/providers/NAME.yaml)."""
    return provider_info(name).label


class PrivateKeyField(QWidget):
    """A Vonage application's private key: read from its file or the clipboard into memory, saved to the keyring on
    Save, never displayed (the line says only where it came from)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrivateKeyField")
        self._text = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel(self)
        self.status.setObjectName("Caption")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.choose_button = QPushButton("Choose file…", self)
        self.choose_button.clicked.connect(self._choose)
        row.addWidget(self.choose_button)
        self.paste_button = QPushButton("Paste", self)
        self.paste_button.setToolTip("Paste the private key you copied (-----BEGIN PRIVATE KEY----- …)")
        self.paste_button.clicked.connect(self._paste)
        row.addWidget(self.paste_button)
        self.clear()

    def text(self) -> str:
        return self._text

    def clear(self) -> None:
        self._text = ""
        self.status.setText("kept in the keyring; unset: keep")

    def set_key(self, text: str, origin: str) -> bool:
        """Take `text` when it is a PEM private key; say so either way. True when taken."""
        if not looks_like_private_key(text):
            self.status.setText(f"{origin} holds no private key (-----BEGIN PRIVATE KEY----- …)")
            return False
        self._text = text.strip() + "\n"
        self.status.setText(f"private key from {origin}: saved to the keyring with the profile")
        return True

    def load_file(self, path: str) -> bool:
        name = Path(path).name
        try:
            data = Path(path).read_bytes()[:MAX_KEY_BYTES].decode("ascii")
        except (OSError, UnicodeDecodeError) as err:
            self.status.setText(f"{name} cannot be read ({getattr(err, 'strerror', None) or type(err).__name__})")
            return False
        return self.set_key(data, name)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "The Vonage application's private key", "", "Keys (*.key *.pem);;All files (*)"
        )
        if path:
            self.load_file(path)

    def _paste(self) -> None:
        self.set_key(QGuiApplication.clipboard().text()[:MAX_KEY_BYTES], "the clipboard")
