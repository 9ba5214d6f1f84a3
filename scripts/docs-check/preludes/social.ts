// Prelude for doc blocks that use a social platform built earlier on the page.
declare const social: import("@platform/social").SocialMediaPlatform;
