// Prelude for doc blocks that use a commerce platform built earlier on the page.
declare const shop: import("@platform/commerce").ECommercePlatform;
declare const platform: import("@platform/commerce").ECommercePlatform;
