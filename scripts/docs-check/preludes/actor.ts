// Prelude for doc blocks that act as the customer the host authenticated.
declare const actor: import("@platform/commerce").Actor;
