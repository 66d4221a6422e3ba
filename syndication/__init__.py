"""Press-release syndication: releases in, feeds, pages and newsletters out."""
