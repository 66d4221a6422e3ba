"""Pages: the static web site's HTML: what every page shares (`frame`), the release pages
(`release`), the listings (`listing`), from the site's view models through its templates."""
