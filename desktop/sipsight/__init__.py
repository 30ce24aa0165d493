"""SIPSight: why are this customer's calls failing, and what do we answer."""

__version__ = "0.1.0"
