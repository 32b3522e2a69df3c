// Progressive enhancement of forms: a file input with data-max-bytes refuses a larger file before it is sent
// (the server refuses it anyway, PALERMO_MAX_REQUEST_BYTES), with the message the browser shows next to the input.
"use strict";
document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
  const limit = Number(input.dataset.maxBytes);
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    const tooLarge = file && file.size > limit;
    input.setCustomValidity(
      tooLarge ? `The file is larger than this node accepts (${limit.toLocaleString("en")} bytes); load it with the CLI.` : "",
    );
    if (tooLarge) input.reportValidity();
  });
});
