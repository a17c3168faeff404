/* «Οι οφειλές μου»: the total of the debts ticked, as they are ticked.
   Only an aid: without JavaScript the form works the same, and the page that
   shows the RF code shows its amount. */
(function () {
  "use strict";

  function euros(cents) {
    var whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = (cents % 100).toString().padStart(2, "0");
    return whole + "," + rest + " €";
  }

  function start() {
    var form = document.getElementById("my-debts-form");
    var box = document.getElementById("selected-total-box");
    var output = document.getElementById("selected-total");
    if (!form || !box || !output) {
      return;
    }
    function update() {
      var cents = 0;
      form.querySelectorAll("input[name='debts:list']:checked").forEach(function (input) {
        cents += parseInt(input.getAttribute("data-cents"), 10) || 0;
      });
      output.textContent = euros(cents);
    }
    form.addEventListener("change", update);
    box.hidden = false;
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
