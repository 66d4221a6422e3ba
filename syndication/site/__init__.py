"""The static site: where each file lives and the templates and view models that feeds and
pages share (`paths`, `templates`, `release_views`; their words come from the product's
catalogs, `syndication.translations`), and the build that plans, renders and writes them
(`build`, `fingerprints`, `manifest`, `writer`).

Data flows one way: `feeds/` and `pages/` use the lower modules; `build` uses `feeds/` and
`pages/`; none of the lower modules imports `feeds/`, `pages/` or the build.
"""
