"""What the tests and the benchmarks share to drive the product: sites, servers, databases.

Development only: the wheel ships `syndication` and `subscribers`, never this package
(pyproject's package discovery does not list it). Nothing here imports `tests` or `bench`.
"""
