# Packaged data for SIPSight (installed as the `sipsight.resources` package). Read it only through
# sipsight.core.resources.
