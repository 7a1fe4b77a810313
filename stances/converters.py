class Iso2Converter:
    """Two letters; any case in the URL, so /t/x/de/ and /t/x/DE/ both resolve."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value.lower()
